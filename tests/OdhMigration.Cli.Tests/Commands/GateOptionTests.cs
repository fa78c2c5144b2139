using OdhMigration.Cli.Commands;
using OdhMigration.Core.Common;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Commands;

/// <summary>
/// The expected-sha256 options of the three gated stages cannot be stepped around: an empty, blank or malformed value
/// is a usage error, and with --require-gate a missing (or empty, as a Tekton param leaves it) value is refused.
/// The cluster in the kubeconfig is unreachable: every check here must answer before any request is sent.
/// </summary>
public sealed class GateOptionTests
{
    public static TheoryData<string, string> Gated => new()
    {
        { "apply", "--expect-plan-sha256" },
        { "cleanup", "--expect-validation-sha256" },
        { "dsc-finalize", "--expect-finalize-plan-sha256" },
    };

    public static TheoryData<string, string, string> BadValues
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var (stage, option) in new[] { ("apply", "--expect-plan-sha256"), ("cleanup", "--expect-validation-sha256"), ("dsc-finalize", "--expect-finalize-plan-sha256") })
            {
                data.Add(stage, option, "");
                data.Add(stage, option, "   ");
                data.Add(stage, option, "abc123");
                data.Add(stage, option, new string('g', 64));
                data.Add(stage, option, new string('a', 65));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task An_empty_blank_or_malformed_expected_sha256_is_a_usage_error_naming_the_option(string stage, string option, string value)
    {
        using var ws = new TempWorkspace();
        var result = await RunAsync(stage, ws, option, value);

        Assert.True(result.ExitCode == ExitCodes.UsageError, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        var expected = value.Trim().Length == 0 ? $"{option} is empty" : $"{option} '{value}' is not a sha256";
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("no approved sha256 binds this run", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Gated))]
    public async Task A_missing_expected_sha256_with_require_gate_is_refused_with_exit_3(string stage, string option)
    {
        using var ws = new TempWorkspace();
        var result = await RunAsync(stage, ws, "--require-gate");

        Assert.True(result.ExitCode == ExitCodes.PreconditionFailed, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains(option, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--require-gate", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Gated))]
    public async Task An_empty_expected_sha256_with_require_gate_is_refused_with_exit_3_as_a_tekton_param_passes_it(string stage, string option)
    {
        using var ws = new TempWorkspace();
        var result = await RunAsync(stage, ws, option, "", "--require-gate", "true");

        Assert.True(result.ExitCode == ExitCodes.PreconditionFailed, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("no approved sha256", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Gated))]
    public async Task Without_the_option_and_without_require_gate_the_run_goes_on_with_a_warning(string stage, string option)
    {
        using var ws = new TempWorkspace();
        var result = await RunAsync(stage, ws);

        // The run goes on past the gate (and then fails on the empty workspace or the unreachable cluster).
        Assert.NotEqual(ExitCodes.Success, result.ExitCode);
        Assert.Contains("no approved sha256 binds this run", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(option, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_of_dsc_finalize_needs_no_expected_sha256_even_with_require_gate()
    {
        using var ws = new TempWorkspace();
        var result = await RunAsync("dsc-finalize", ws, "--dry-run", "true", "--require-gate", "true", "--expect-finalize-plan-sha256", "");

        // Past the gate: it tries the (unreachable) cluster, which is not a refusal.
        Assert.NotEqual(ExitCodes.PreconditionFailed, result.ExitCode);
        Assert.Contains("no approved sha256 binds this run", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<CliHarness.Result> RunAsync(string stage, TempWorkspace ws, params string[] args)
    {
        var kubeconfig = Path.Combine(ws.Path, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{"name": "c", "cluster": {"server": "https://127.0.0.1:1"}}]
            users: [{"name": "u", "user": {"token": "not-a-real-token"}}]
            contexts: [{"name": "ctx", "context": {"cluster": "c", "user": "u"}}]
            current-context: ctx
            """, TestContext.Current.CancellationToken);
        var definition = StageCatalog.All.Single(s => s.Name == stage);
        return await CliHarness.RunAsync(definition.CreateRoot, [.. args, "--workspace", ws.Path, "--kubeconfig", kubeconfig]);
    }
}
