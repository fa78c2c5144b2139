using System.CommandLine;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;
using OdhMigration.Cli.Tests.Commands;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Tests.Hostile;

/// <summary>Option values their type accepts but that make no sense are usage errors (exit 2) naming the option; nothing runs.</summary>
public sealed class NonsenseOptionTests
{
    private static readonly Dictionary<string, Func<CliIo, RootCommand>> Roots = new(StringComparer.Ordinal)
    {
        ["discover"] = StageCatalog.Discover.CreateRoot,
        ["export"] = StageCatalog.Export.CreateRoot,
        ["apply"] = StageCatalog.Apply.CreateRoot,
        ["validate"] = StageCatalog.Validate.CreateRoot,
        ["cleanup"] = StageCatalog.Cleanup.CreateRoot,
        ["migrate"] = UmbrellaCommand.Create,
    };

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "discover", "-n p --page-size 0", "--page-size 0: must be at least 1" },
        { "discover", "-n p --page-size -5", "--page-size -5: must be at least 1" },
        { "validate", "--tolerance NaN", "--tolerance NaN: must be a finite number of at least 0" },
        { "validate", "--tolerance -1", "--tolerance -1: must be a finite number of at least 0" },
        { "validate", "--tolerance Infinity", "--tolerance Infinity: must be a finite number" },
        { "validate", "--concurrency 0", "--concurrency 0: must be at least 1" },
        { "validate", "--timeout 0", "--timeout 0: must be at least 1 second" },
        { "apply", "--field-manager \" \"", "--field-manager: the value is empty or blank" },
        { "apply", "--concurrency 0", "--concurrency 0: must be at least 1" },
        { "apply", "--timeout -1", "--timeout -1: must be at least 1 second" },
        { "cleanup", "--concurrency -2", "--concurrency -2: must be at least 1" },
        { "cleanup", "--timeout 0", "--timeout 0: must be at least 1 second" },
        { "cleanup", "--expect-validation-sha256 \"  \"", "--expect-validation-sha256 is empty" },
        { "apply", "--expect-plan-sha256 \"\t\"", "--expect-plan-sha256 is empty" },
        { "discover", "-n p --snapshot s.yaml --kubeconfig k", "--snapshot cannot be combined with --kubeconfig" },
        { "export", "--snapshot s.yaml --context prod", "--snapshot cannot be combined with --context" },
        { "discover", "-n p --workspace \" \"", "--workspace: the value is empty or blank" },
        { "migrate", "run -n p --concurrency 0", "--concurrency 0: must be at least 1" },
        { "migrate", "run -n p --validate-timeout 0", "--validate-timeout 0: must be at least 1 second" },
        { "migrate", "rehearse -n p --snapshot s.yaml --validate-timeout 0", "--validate-timeout 0: must be at least 1 second" },
        { "migrate", "simulator --snapshot s --kubeconfig-out k --fault-rate NaN", "--fault-rate NaN: must be a number from 0 to 1" },
        { "migrate", "simulator --snapshot s --kubeconfig-out k --fault-rate 1.5", "--fault-rate 1.5: must be a number from 0 to 1" },
        { "migrate", "simulator --snapshot s --kubeconfig-out k --latency-ms -1", "--latency-ms -1: must be at least 0" },
        { "migrate", "pipelineruns --approvers a --approvals-required 0", "--approvals-required 0: must be at least 1" },
        { "migrate", "rehearse -n p --snapshot s.yaml --kubeconfig k", "--snapshot cannot be combined with --kubeconfig" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Nonsense_values_exit_2_naming_the_option(string tool, string arguments, string expected)
    {
        using var ws = new Core.Tests.Support.TempWorkspace();
        var args = Split(arguments);
        if (!args.Contains("--workspace") && tool != "migrate")
        {
            args = ["--workspace", ws.Path, .. args];
        }

        var result = await CliHarness.RunAsync(Roots[tool], [.. args]);
        Assert.True(result.ExitCode == ExitCodes.UsageError, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(ws.Path));
    }

    [Theory]
    [InlineData("--field-manager", "")]
    [InlineData("--field-manager", "   ")]
    [InlineData("--field-manager", "\t")]
    [InlineData("--field-manager=")]
    public async Task An_empty_or_blank_field_manager_is_a_usage_error_naming_the_option(params string[] given)
    {
        // Unlike most options, an empty --field-manager is not dropped as "not given": the Tekton param and the action
        // input carry the default, so an empty one was typed, and the fields must not silently change owner.
        Assert.Equal(["--field-manager", given.Length > 1 ? given[1] : "", "--dry-run"], CliApp.WithoutEmptyOptions([.. given, "--dry-run"]));
        using var ws = new Core.Tests.Support.TempWorkspace();
        var result = await CliHarness.RunAsync(StageCatalog.Apply.CreateRoot, ["--workspace", ws.Path, .. given]);
        Assert.True(result.ExitCode == ExitCodes.UsageError, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("--field-manager", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(ws.Path));
    }

    [Fact]
    public void Other_options_given_empty_still_count_as_not_given()
    {
        Assert.Equal(["--dry-run"], CliApp.WithoutEmptyOptions(["--context", "", "--timeout=", "--dry-run"]));
    }

    [Fact]
    public async Task Sensible_values_still_parse()
    {
        using var ws = new Core.Tests.Support.TempWorkspace();
        var sample = Path.Combine(Core.Tests.Support.RepoPaths.Samples, "serverless-basic.yaml");
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--snapshot", sample, "-n", "fraud-detection", "--page-size", "1");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
    }

    private static List<string> Split(string arguments)
    {
        var parts = new List<string>();
        var quoted = System.Text.RegularExpressions.Regex.Matches(arguments, "\"([^\"]*)\"|(\\S+)");
        foreach (System.Text.RegularExpressions.Match match in quoted)
        {
            parts.Add(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
        }

        return parts;
    }
}
