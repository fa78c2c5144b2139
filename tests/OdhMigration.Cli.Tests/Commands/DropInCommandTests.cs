using OdhMigration.Cli.Commands;
using OdhMigration.Core.Common;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Commands;

/// <summary>serverless-to-raw and modelmesh-to-raw on the shipped samples, in-process.</summary>
public sealed class DropInCommandTests
{
    private static readonly string ServerlessSample = Path.Combine(RepoPaths.Samples, "serverless-team.yaml");
    private static readonly string ModelMeshSample = Path.Combine(RepoPaths.Samples, "modelmesh-team.yaml");

    [Fact]
    public async Task Serverless_dry_run_side_by_side_prints_table_and_the_raw_folder_to_apply()
    {
        using var ws = new TempWorkspace();

        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "serverless-to-raw", "--snapshot", ServerlessSample, "-n", "ml-team", "--dry-run", "--workspace", ws.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ml-team/credit-scoring  Serverless  planned  side-by-side  ml-team/credit-scoring-raw", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("oc apply -f " + Path.Combine(ws.Path, "ml-team", "credit-scoring", "raw") + "/", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("oc delete", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("WARNING: tokens change", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(ws.Path, "report.md")));
        Assert.DoesNotContain("c2FtcGxlLXRva2VuLW5vdC1yZWFs", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serverless_dry_run_with_original_names_lists_the_deletes_to_run_first()
    {
        using var ws = new TempWorkspace();

        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "serverless-to-raw", "--snapshot", ServerlessSample, "-n", "ml-team", "--dry-run", "--original-names", "--workspace", ws.Path);

        Assert.Equal(0, result.ExitCode);
        var stdout = result.Stdout;
        var deleteIsvc = stdout.IndexOf("oc delete inferenceservice credit-scoring -n ml-team", StringComparison.Ordinal);
        var deleteRoute = stdout.IndexOf("oc delete route credit-scoring-ml-team -n istio-system", StringComparison.Ordinal);
        var apply = stdout.IndexOf("oc apply -f " + Path.Combine(ws.Path, "ml-team", "credit-scoring", "raw-original-names") + "/", StringComparison.Ordinal);
        Assert.True(deleteIsvc >= 0 && deleteRoute > deleteIsvc && apply > deleteRoute, stdout);
        Assert.Contains("tokens will be DIFFERENT again if you roll back", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelMesh_dry_run_prints_the_summary_tree_and_next_steps()
    {
        using var ws = new TempWorkspace();

        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, "modelmesh-to-raw", "--snapshot", ModelMeshSample, "--from-ns", "mm-models", "--target-ns", "mm-models-raw", "--odh", "--dry-run", "--workspace", ws.Path);

        Assert.Equal(0, result.ExitCode);
        var stdout = result.Stdout;
        Assert.Contains("DRY-RUN SUMMARY", stdout, StringComparison.Ordinal);
        Assert.Contains("All YAML resources have been saved to: " + ws.Path, stdout, StringComparison.Ordinal);
        Assert.Matches(@"Original ModelMesh resources:\s+\d+ files", stdout);
        Assert.Contains("└── mnist", stdout, StringComparison.Ordinal);
        Assert.Contains("60-inferenceservice-mnist.yaml", stdout, StringComparison.Ordinal);
        Assert.Contains("oc apply -f " + Path.Combine(ws.Path, "mm-models", "mnist", "raw-original-names") + "/", stdout, StringComparison.Ordinal);
        Assert.Contains("Copy Secret aws-connection-models from mm-models to mm-models-raw", stdout, StringComparison.Ordinal);
        Assert.Contains("Secret token-mnist-sa in mm-models-raw", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("sample-secret-value-not-real", stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("modelmesh-to-raw", "--target-ns", "x", "--dry-run")]
    [InlineData("modelmesh-to-raw", "--from-ns", "mm-models", "--dry-run")]
    [InlineData("modelmesh-to-raw", "--from-ns", "mm-models", "--target-ns", "mm-models", "--dry-run")]
    [InlineData("modelmesh-to-raw", "--from-ns", "mm-models", "--target-ns", "other", "--preserve-namespace", "--dry-run")]
    [InlineData("modelmesh-to-raw", "--from-ns", "mm-models", "--target-ns", "other", "--page-size", "0", "--dry-run")]
    [InlineData("serverless-to-raw", "-n", "ml-team", "--dry-run", "--delete-existing")]
    [InlineData("serverless-to-raw", "-n", "ml-team", "--dry-run", "--yes")]
    [InlineData("modelmesh-to-raw", "--from-ns", "mm-models", "--preserve-namespace", "--dry-run", "--yes")]
    [InlineData("serverless-to-raw", "--dry-run")]
    public async Task Bad_option_combinations_exit_2_and_write_nothing(params string[] args)
    {
        using var ws = new TempWorkspace();
        var sample = args[0] == "serverless-to-raw" ? ServerlessSample : ModelMeshSample;

        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, [.. args, "--snapshot", sample, "--workspace", ws.Path]);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(ws.Path));
    }

    [Theory]
    [InlineData("serverless-to-raw", "-n", "ml-team")]
    [InlineData("modelmesh-to-raw", "--from-ns", "mm-models", "--preserve-namespace")]
    public async Task Without_dry_run_a_snapshot_is_refused_with_exit_2_as_nothing_could_be_applied_to_it(params string[] args)
    {
        using var ws = new TempWorkspace();
        var sample = args[0] == "serverless-to-raw" ? ServerlessSample : ModelMeshSample;

        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, [.. args, "--snapshot", sample, "--workspace", ws.Path]);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("cannot run on --snapshot", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(ws.Path));
    }
}
