using OdhMigration.Core.Common;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Run;

/// <summary>
/// odh-migrate rehearse with waves (--wave-size): each wave's plan gate, apply, validate, cleanup gate and cleanup in
/// order, then the next wave; the first wave that fails ends the rehearsal with a non-zero exit, later waves untouched.
/// </summary>
public sealed class RehearseWavesTests
{
    private const string Ns = "gpu-team";

    /// <summary>The GPU cluster (two nodes with two GPUs each) with "big" asking for 3 GPUs in one pod: no node can ever schedule its replacement.</summary>
    private static string Snapshot(TempWorkspace folder, params string[] models)
    {
        var yaml = GpuClusterSnapshot.Yaml(Ns, models, runtimePerModel: true);
        var big = yaml.IndexOf("storageUri: s3://models/big", StringComparison.Ordinal);
        if (big >= 0)
        {
            var gpu = yaml.IndexOf("nvidia.com/gpu: \"1\"", big, StringComparison.Ordinal);
            yaml = yaml[..gpu] + "nvidia.com/gpu: \"3\"" + yaml[(gpu + "nvidia.com/gpu: \"1\"".Length)..];
        }

        var path = Path.Combine(folder.Path, "snapshot.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static List<int> Positions(string text, params string[] markers) =>
        markers.Select(m => text.IndexOf(m, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Rehearse_runs_each_waves_apply_validate_and_cleanup_in_order_with_the_gates_of_each_wave()
    {
        using var ws = new TempWorkspace();
        using var folder = new TempWorkspace();
        var snapshot = Snapshot(folder, "llama", "granite");

        var result = await Umbrella.RunAsync(["rehearse", "--snapshot", snapshot, "-n", Ns, "--workspace", ws.Path, "--yes", "--wave-size", "1", "--wave-order", $"{Ns}/llama,{Ns}/granite"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var gates = Positions(result.Stdout,
            "== gate: plan, before apply of wave 1/2",
            "== gate: validation, before cleanup of wave 1/2",
            "== gate: plan, before apply of wave 2/2",
            "== gate: validation, before cleanup of wave 2/2");
        Assert.True(gates.All(i => i >= 0) && gates.SequenceEqual(gates.Order()), result.ToString());

        // Each wave's gate shows that wave's item only.
        Assert.Contains($"{Ns}/llama -> ", result.Stdout[gates[0]..gates[1]], StringComparison.Ordinal);
        Assert.DoesNotContain($"{Ns}/granite -> ", result.Stdout[gates[0]..gates[1]], StringComparison.Ordinal);
        Assert.Contains($"{Ns}/granite -> ", result.Stdout[gates[2]..gates[3]], StringComparison.Ordinal);
        Assert.DoesNotContain($"{Ns}/llama -> ", result.Stdout[gates[2]..gates[3]], StringComparison.Ordinal);

        var stages = Positions(result.Stdout, "apply w1", "validate w1", "cleanup w1", "apply w2", "validate w2", "cleanup w2");
        Assert.True(stages.All(i => i >= 0) && stages.SequenceEqual(stages.Order()), result.ToString());
    }

    [Fact]
    public async Task Rehearse_stops_at_the_first_failing_wave_with_a_non_zero_exit_and_leaves_later_waves_alone()
    {
        using var ws = new TempWorkspace();
        using var folder = new TempWorkspace();
        var snapshot = Snapshot(folder, "llama", "big", "granite");

        // Wave 2 fails only when validate's wait runs out: 10 s instead of rehearse's 60 keeps the test short, and
        // is still far beyond the simulator's readiness delay for the replacements that do come up (waves 1 and 3).
        var result = await Umbrella.RunAsync(["rehearse", "--snapshot", snapshot, "-n", Ns, "--workspace", ws.Path, "--yes", "--wave-size", "1", "--wave-order", $"{Ns}/llama,{Ns}/big,{Ns}/granite", "--validate-timeout", "10"]);

        Assert.NotEqual(ExitCodes.Success, result.ExitCode);
        var reached = Positions(result.Stdout,
            "== gate: plan, before apply of wave 1/3",
            "== gate: validation, before cleanup of wave 1/3",
            "== gate: plan, before apply of wave 2/3");
        Assert.True(reached.All(i => i >= 0) && reached.SequenceEqual(reached.Order()), result.ToString());

        // Wave 2's replacement never schedules: its validation fails, so neither its cleanup gate nor wave 3 comes.
        Assert.DoesNotContain("before cleanup of wave 2/3", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("wave 3/3", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("apply w3", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("validation of wave 2/3 did not pass", result.All, StringComparison.Ordinal);

        // Wave 1 was cleaned up; wave 3 was never applied (the ledger has no entry for granite).
        var ledger = await File.ReadAllTextAsync(ws.Layout.Ledger, TestContext.Current.CancellationToken);
        Assert.Contains("\"llama\"", ledger, StringComparison.Ordinal);
        Assert.DoesNotContain("\"granite\"", ledger, StringComparison.Ordinal);
        Assert.True(File.Exists(ws.Layout.Cleanup));
    }
}
