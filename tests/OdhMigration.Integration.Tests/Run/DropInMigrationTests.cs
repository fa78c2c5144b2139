using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Run;

/// <summary>The guide's drop-in commands outside --dry-run: gated apply and validate, cleanup only when asked.</summary>
public sealed class DropInMigrationTests
{
    private static readonly string[] Originals = ["churn-internal", "churn-v2", "credit-scoring"];

    [Fact]
    public async Task Serverless_to_raw_with_delete_existing_migrates_and_removes_the_originals()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();

        var result = await Umbrella.RunAsync(["serverless-to-raw", "-n", "ml-team", "--yes", "--delete-existing", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var name in Originals)
        {
            Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name));
            Assert.True(IsvcDiagnosis.IsServing((await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name + "-raw"))!), name);
        }
    }

    [Fact]
    public async Task Serverless_to_raw_without_delete_existing_keeps_the_originals_and_says_how_to_remove_them()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();

        var result = await Umbrella.RunAsync(["serverless-to-raw", "-n", "ml-team", "--yes", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.DoesNotContain("== gate: validation, before cleanup", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"odh-migrate cleanup --workspace {ws.Path}", result.Stdout, StringComparison.Ordinal);
        foreach (var name in Originals)
        {
            Assert.NotNull(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name));
            Assert.NotNull(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", name + "-raw"));
        }
    }

    [Fact]
    public async Task Serverless_to_raw_without_a_terminal_or_yes_applies_nothing()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        using var ws = new TempWorkspace();

        var result = await Umbrella.RunAsync(["serverless-to-raw", "-n", "ml-team", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig]);

        Assert.True(result.ExitCode == ExitCodes.PreconditionFailed, result.ToString());
        Assert.Contains("--yes", result.Stderr, StringComparison.Ordinal);
        Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, "ml-team", "churn-v2-raw"));
    }

    [Fact]
    public async Task ModelMesh_to_raw_into_a_new_namespace_serves_there_and_leaves_the_source_alone()
    {
        await using var sim = await SimulatedCluster.StartSampleAsync("modelmesh-team.yaml");
        using var ws = new TempWorkspace();
        var before = (await sim.Cluster.ListAsync(Kinds.InferenceService, "mm-models", cancellationToken: TestContext.Current.CancellationToken)).Select(i => i.Name()).Order().ToList();

        var result = await Umbrella.RunAsync(["modelmesh-to-raw", "--from-ns", "mm-models", "--target-ns", "mm-models-raw", "--odh", "--yes", "--workspace", ws.Path, "--kubeconfig", sim.Kubeconfig]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var migrated = await sim.Cluster.ListAsync(Kinds.InferenceService, "mm-models-raw", cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEmpty(migrated);
        Assert.All(migrated, i => Assert.True(IsvcDiagnosis.IsServing(i), i.Name()));
        Assert.Equal(before, (await sim.Cluster.ListAsync(Kinds.InferenceService, "mm-models", cancellationToken: TestContext.Current.CancellationToken)).Select(i => i.Name()).Order());
        Assert.DoesNotContain("sample-secret-value-not-real", result.All, StringComparison.Ordinal);
    }
}
