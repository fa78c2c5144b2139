using OdhMigration.Cli.Commands;
using OdhMigration.Core.Common;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Commands;

public sealed class OptionParsingTests
{
    private static readonly string Sample = Path.Combine(RepoPaths.Samples, "serverless-basic.yaml");

    public static TheoryData<string> Stages => new(StageCatalog.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task Every_stage_answers_help_with_the_common_options(string stage)
    {
        var definition = StageCatalog.All.Single(s => s.Name == stage);
        var result = await CliHarness.RunAsync(definition.CreateRoot, "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--workspace", "--kubeconfig", "--context", "--snapshot", "--output", "--result-dir", "--log-level" })
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task The_umbrella_exposes_every_stage_with_the_same_options(string stage)
    {
        var definition = StageCatalog.All.Single(s => s.Name == stage);
        var standalone = definition.CreateRoot(new Hosting.CliIo(TextWriter.Null, TextWriter.Null)).Options.Select(o => o.Name).Where(n => n is not ("--help" or "--version")).Order();
        var sub = UmbrellaCommand.Create(new Hosting.CliIo(TextWriter.Null, TextWriter.Null)).Subcommands.Single(c => c.Name == stage).Options.Select(o => o.Name).Where(n => n != "--help").Order();
        Assert.Equal(standalone, sub);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", "x", "--bogus");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("--bogus", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_outside_the_allowed_set_is_a_usage_error()
    {
        var result = await CliHarness.RunAsync(StageCatalog.Transform.CreateRoot, "--workspace", "x", "--strategy", "sideways");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("sideways", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--concurrency", "0")]
    [InlineData("--timeout", "0")]
    public async Task Cleanup_refuses_a_concurrency_or_timeout_below_one_before_touching_a_cluster(string option, string value)
    {
        var workspace = Directory.CreateTempSubdirectory("odh-cleanup-usage-").FullName;
        try
        {
            var result = await CliHarness.RunAsync(StageCatalog.Cleanup.CreateRoot, "--workspace", workspace, "--kubeconfig", Path.Combine(workspace, "no-such-kubeconfig"), option, value);
            Assert.Equal(ExitCodes.UsageError, result.ExitCode);
            Assert.Contains($"{option} {value}", result.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(workspace, "cleanup.json")));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public async Task Workspace_is_required()
    {
        var previous = Environment.GetEnvironmentVariable(CommonOptions.WorkspaceEnvironmentVariable);
        Environment.SetEnvironmentVariable(CommonOptions.WorkspaceEnvironmentVariable, null);
        try
        {
            var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--snapshot", Sample, "-n", "fraud-detection");
            Assert.Equal(ExitCodes.UsageError, result.ExitCode);
            Assert.Contains("--workspace is required", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(CommonOptions.WorkspaceEnvironmentVariable, previous);
        }
    }

    [Fact]
    public async Task Malformed_snapshot_is_a_usage_error_naming_file_and_line()
    {
        using var ws = new TempWorkspace();
        var bad = Path.Combine(ws.Path, "bad.yaml");
        await File.WriteAllTextAsync(bad, "apiVersion: v1\nkind: Secret\nmetadata: [oops\n", TestContext.Current.CancellationToken);
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--snapshot", bad, "-A");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("bad.yaml: line", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("cleanup")]
    [InlineData("dsc-finalize")]
    [InlineData("validate")]
    public async Task Stages_that_need_a_live_cluster_refuse_a_snapshot_with_a_usage_error(string stage)
    {
        using var ws = new TempWorkspace();
        var result = await CliHarness.RunAsync(StageCatalog.All.Single(s => s.Name == stage).CreateRoot, "--workspace", ws.Path, "--snapshot", Sample);
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains($"odh-{stage} needs a live cluster and cannot run on --snapshot", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_level_error_keeps_info_lines_out_and_an_unknown_level_is_a_usage_error()
    {
        using var ws = new TempWorkspace();
        var info = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", Path.Combine(ws.Path, "a"), "--snapshot", Sample, "-n", "fraud-detection");
        Assert.Contains("namespace fraud-detection:", info.Stderr, StringComparison.Ordinal);

        var quiet = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", Path.Combine(ws.Path, "b"), "--snapshot", Sample, "-n", "fraud-detection", "--log-level", "error");
        Assert.Equal(0, quiet.ExitCode);
        Assert.DoesNotContain("namespace fraud-detection:", quiet.Stderr, StringComparison.Ordinal);

        var bad = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", Path.Combine(ws.Path, "c"), "--snapshot", Sample, "-n", "fraud-detection", "--log-level", "verbose");
        Assert.Equal(ExitCodes.UsageError, bad.ExitCode);
    }

    [Fact]
    public async Task Json_output_and_result_files_carry_the_verdict_and_counts()
    {
        using var ws = new TempWorkspace();
        var results = Path.Combine(ws.Path, "results");
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--snapshot", Sample, "-n", "fraud-detection", "--output", "json", "--result-dir", results);

        Assert.Equal(0, result.ExitCode);
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!;
        Assert.Equal("succeeded", json["verdict"]!.GetValue<string>());
        Assert.Equal("1", json["results"]!["selected"]!.GetValue<string>());
        Assert.Equal("succeeded", await File.ReadAllTextAsync(Path.Combine(results, "verdict"), TestContext.Current.CancellationToken));
        Assert.Equal("1", await File.ReadAllTextAsync(Path.Combine(results, "selected"), TestContext.Current.CancellationToken));
        Assert.Equal(64, (await File.ReadAllTextAsync(Path.Combine(results, "inventory-sha256"), TestContext.Current.CancellationToken)).Length);
    }

    [Theory]
    [InlineData("--namespace and --all-namespaces cannot be combined", "-n", "fraud-detection", "--all-namespaces")]
    [InlineData("give --namespace <ns> (repeatable) or --all-namespaces")]
    public async Task Discover_scope_errors_are_usage_errors_and_write_nothing(string message, params string[] scope)
    {
        using var ws = new TempWorkspace();
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, ["--workspace", ws.Path, "--snapshot", Sample, .. scope]);
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Inventory));
    }

    [Fact]
    public async Task Namespace_is_repeatable_and_each_is_scanned()
    {
        using var ws = new TempWorkspace();
        var team = Path.Combine(RepoPaths.Samples, "serverless-team.yaml");
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--snapshot", team, "-n", "ml-team", "-n", "opendatahub");
        Assert.Equal(0, result.ExitCode);
        var (inventory, _) = await OdhMigration.Core.Workspace.WorkspaceDocuments.ReadInventoryAsync(ws.Layout, TestContext.Current.CancellationToken);
        Assert.Equal(["ml-team", "opendatahub"], inventory.Scope.Namespaces);
    }

    [Fact]
    public async Task Select_accepts_commas_and_repetition_and_refuses_unknown_names()
    {
        using var ws = new TempWorkspace();
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--snapshot", Sample, "-n", "fraud-detection", "--select", "fraud-model,ghost");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("ghost", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Pairs_parse_key_value_and_name_the_option_on_error()
    {
        Assert.Equal("p/1", OptionParsing.Pairs("--storage-path", ["m=p/1"])["m"]);
        var ex = Assert.Throws<UsageException>(() => OptionParsing.Pairs("--storage-path", ["novalue"]));
        Assert.Contains("--storage-path 'novalue'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["a", "b", "c"], OptionParsing.NameList(["a,b", "c", "a"]));
    }
}
