using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Reporting;

/// <summary>Workspaces made by the real discover/export/transform engines on the shipped samples.</summary>
internal static class ReportTestWorkspaces
{
    public const string Injected = "<script>alert('x')</script>";
    public static readonly string[] SecretValues = ["sample-secret-value-not-real", "c2FtcGxlLXRva2VuLW5vdC1yZWFs", "sample-access-key"];

    /// <summary>serverless-team.yaml (ml-team) with a script tag injected through the display-name annotation of credit-scoring.</summary>
    public static async Task<TempWorkspace> ServerlessAsync(MemoryProgressSink? progress = null)
    {
        var ws = new TempWorkspace();
        var text = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Samples, "serverless-team.yaml"), TestContext.Current.CancellationToken);
        const string line = "    openshift.io/display-name: Credit scoring\n";
        Assert.Contains(line, text, StringComparison.Ordinal);
        var snapshot = Path.Combine(Path.GetTempPath(), $"odh-report-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(snapshot, text.Replace(line, $"    openshift.io/display-name: \"{Injected}\"\n", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        try
        {
            var result = await new PlanningChain(SnapshotCluster.Load(snapshot), new MemoryStageLog(), progress ?? new MemoryProgressSink())
                .RunAsync(new PlanningChainOptions(new DiscoverOptions { Namespaces = ["ml-team"] }, new ExportOptions(), new TransformOptions()), ws.Layout, TestContext.Current.CancellationToken);
            Assert.Equal(0, result.ExitCode);
        }
        finally
        {
            File.Delete(snapshot);
        }

        return ws;
    }

    /// <summary>modelmesh-team.yaml (mm-models) into a new namespace mm-models-raw.</summary>
    public static async Task<TempWorkspace> ModelMeshAsync()
    {
        var ws = new TempWorkspace();
        var result = await new PlanningChain(SnapshotCluster.Load(Path.Combine(RepoPaths.Samples, "modelmesh-team.yaml")), new MemoryStageLog(), NullProgressSink.Instance)
            .RunAsync(new PlanningChainOptions(new DiscoverOptions { Namespaces = ["mm-models"] }, new ExportOptions(), new TransformOptions { TargetNamespace = "mm-models-raw" }), ws.Layout, TestContext.Current.CancellationToken);
        Assert.Equal(0, result.ExitCode);
        return ws;
    }
}
