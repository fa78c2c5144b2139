using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// pipelineruns --all-waves: from a plan.json with waves in the workspace, one full migrate-namespace run per wave
/// and namespace, each selecting only that wave's InferenceServices, so each run plans, gates, applies, validates and
/// cleans up exactly one wave. The runs are named so they sort in wave order and must be started one after the other.
/// Each run's stop-original param says whether its apply stops the wave's Serverless originals (the wave's
/// stopOriginalsFirst, or --stop-original for every wave).
/// </summary>
public static class PipelineRunWaves
{
    public const string WaveLabel = "odh-migration/wave";

    /// <summary>One run of one wave of one namespace.</summary>
    public sealed record WaveRun(string Namespace, int Wave, int Waves, IReadOnlyList<string> Items, JsonObject Run, bool StopsOriginals)
    {
        /// <summary>File name under runs/: the wave zero-padded, so listing the folder lists the waves in order.</summary>
        public string FileName(int width) => $"{Namespace}-w{Pad(Wave, width)}.yaml";
    }

    /// <summary>The setup of every namespace (as without waves: its claim, bindings and the grants of all its items' modes) and each wave's run.</summary>
    public static (IReadOnlyList<NamespaceMigration> Setup, IReadOnlyList<WaveRun> Runs, int Width) Build(Inventory inventory, Plan plan, PipelineRunSettings settings)
    {
        if (plan.Waves is not { Count: > 0 } waves)
        {
            throw new UsageException("--all-waves: plan.json in the workspace has no waves; plan them with transform --waves auto or --wave-size N on this workspace, or write one wave's run with --wave K");
        }

        if (settings.ResumeFrom is not null || settings.Wave is not null)
        {
            throw new UsageException("--all-waves writes a full run per wave: it does not combine with --wave or --resume-from");
        }

        PipelineRunBuilder.RefuseWavePlanning(settings, "--all-waves (each wave's run plans only that wave's InferenceServices, as the workspace's plan grouped them)");

        var setup = PipelineRunBuilder.Build(inventory, settings);
        var width = waves.Max(w => w.Number).ToString(CultureInfo.InvariantCulture).Length;
        var runs = new List<WaveRun>();
        foreach (var wave in waves.OrderBy(w => w.Number))
        {
            // Only the planned (ok) items of this wave; selecting them by name makes the run's own transform plan them alone.
            var members = plan.Items
                .Where(i => i.Wave == wave.Number && i.Status == ItemStatuses.Ok)
                .Select(i => (i.Namespace, i.Name))
                .ToHashSet();
            var waveInventory = inventory with
            {
                Items = inventory.Items.Select(i => i with { Selected = i.Selected && members.Contains((i.Namespace, i.Name)) }).ToList(),
            };
            // The run plans its wave alone, so its own plan has no waves and apply would not stop this wave's
            // originals for it: a wave that says stopOriginalsFirst gets the pipeline's stop-original param instead.
            var waveSettings = settings with { StopOriginal = wave.StopOriginalsFirst || settings.StopOriginal == true };
            foreach (var migration in PipelineRunBuilder.Build(waveInventory, waveSettings))
            {
                var run = migration.Run;
                var metadata = run["metadata"]!.AsObject();
                metadata["generateName"] = RunPrefix(migration.Namespace, wave.Number, width);
                metadata["labels"]![WaveLabel] = wave.Number.ToString(CultureInfo.InvariantCulture);
                var items = members.Where(m => m.Namespace == migration.Namespace).Select(m => m.Name).Order(StringComparer.Ordinal).ToList();
                runs.Add(new WaveRun(migration.Namespace, wave.Number, waves.Count, items, run, waveSettings.StopOriginal == true));
            }
        }

        return (setup, runs.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Wave).ToList(), width);
    }

    /// <summary>migrate-&lt;ns&gt;-w&lt;K&gt;- with K zero-padded to the widest wave number (w01 ... w12 sort as numbers do).</summary>
    public static string RunPrefix(string ns, int wave, int width)
    {
        // The namespace part is cut (with its hash) before the wave is appended, so a long namespace keeps its wave.
        var suffix = "-w" + Pad(wave, width);
        return PipelineRunBuilder.Bounded($"migrate-{ns}", 52 - suffix.Length) + suffix + "-";
    }

    private static string Pad(int wave, int width) => wave.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');

    /// <summary>
    /// Writes the setup and the runs (setup/&lt;ns&gt;.yaml, runs/&lt;ns&gt;-wK.yaml, <see cref="PipelineRunFiles"/>), or prints them in order when
    /// <paramref name="outputDir"/> is null; then says on stderr that the runs go one after the other.
    /// </summary>
    public static async Task WriteAsync(IReadOnlyList<NamespaceMigration> setup, IReadOnlyList<WaveRun> runs, int width, string? outputDir, Hosting.CliIo io, CancellationToken ct)
    {
        await PipelineRunFiles.WriteAsync(setup, [.. runs.Select(r => (r.FileName(width), r.Run))], outputDir, io, ct).ConfigureAwait(false);

        foreach (var group in runs.GroupBy(r => r.Namespace, StringComparer.Ordinal))
        {
            var list = string.Join(", ", group.Select(r => $"wave {r.Wave.ToString(CultureInfo.InvariantCulture)} ({string.Join(",", r.Items)}{(r.StopsOriginals ? "; stops the Serverless originals" : "")})"));
            await io.Stderr.WriteLineAsync($"pipelineruns: {group.Key}: {group.Count().ToString(CultureInfo.InvariantCulture)} PipelineRun(s), one per wave: {list}").ConfigureAwait(false);
        }

        await io.Stderr.WriteLineAsync("pipelineruns: create them one at a time, in wave order: each run after the previous one has finished (its cleanup done; required where a wave says cleanupBeforeNextWave, see docs/waves.md)").ConfigureAwait(false);
        if (outputDir is not null)
        {
            await io.Stderr.WriteLineAsync($"pipelineruns: kubectl apply -f {Path.Combine(outputDir, "setup")}  (idempotent), then kubectl create -f {Path.Combine(outputDir, "runs")}/<ns>-w<K>.yaml one wave at a time").ConfigureAwait(false);
        }
    }
}
