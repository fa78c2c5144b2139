using System.Text.Json.Nodes;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// Where pipelineruns puts what it wrote: with --out-dir, setup/&lt;ns&gt;.yaml (applied, idempotent) and runs/&lt;file&gt;
/// (created, a new run per try), each written atomically; without, every setup document then every run on stdout.
/// </summary>
public static class PipelineRunFiles
{
    public static async Task WriteAsync(IReadOnlyList<NamespaceMigration> setup, IReadOnlyList<(string File, JsonObject Run)> runs, string? outputDir, CliIo io, CancellationToken ct)
    {
        if (outputDir is null)
        {
            var documents = setup.SelectMany(m => m.Setup).Concat(runs.Select(r => r.Run));
            await io.Stdout.WriteAsync(Yaml.SerializeAll(documents.Select(d => (JsonNode?)d))).ConfigureAwait(false);
            return;
        }

        foreach (var migration in setup)
        {
            await WorkspaceDocuments.WriteTextAtomicAsync(Path.Combine(outputDir, "setup", migration.Namespace + ".yaml"), Yaml.SerializeAll(migration.Setup.Select(d => (JsonNode?)d)), cancellationToken: ct).ConfigureAwait(false);
        }

        foreach (var (file, run) in runs)
        {
            await WorkspaceDocuments.WriteTextAtomicAsync(Path.Combine(outputDir, "runs", file), Yaml.Serialize(run), cancellationToken: ct).ConfigureAwait(false);
        }
    }
}
