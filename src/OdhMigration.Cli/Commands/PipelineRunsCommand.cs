using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// odh-migrate pipelineruns: one ready-to-create PipelineRun of the migrate-namespace pipeline (tekton/) per
/// namespace in inventory.json that has InferenceServices selected for migration. Each run selects exactly the
/// InferenceServices discover selected, runs every stage as its own ServiceAccount, and gets its own workspace PVC.
/// </summary>
public static class PipelineRunsCommand
{
    public const string Description = "Write one migrate-namespace PipelineRun per namespace with InferenceServices selected in inventory.json (YAML on stdout, or one file per run in --out-dir).";

    public static Command Create(CliIo io)
    {
        var workspace = new Option<string?>("--workspace")
        {
            Description = $"Workspace holding the inventory.json discover wrote (falls back to ${CommonOptions.WorkspaceEnvironmentVariable})",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(CommonOptions.WorkspaceEnvironmentVariable),
        };
        var outDir = new Option<string?>("--out-dir") { Description = "Write <run-name>.yaml files here instead of printing to stdout" };
        var approvers = new Option<string[]>("--approvers") { Description = "Who may approve the gates: user names or group:<name> (comma-separated, repeatable; required)" };
        var approvalsRequired = new Option<int>("--approvals-required") { Description = "Approvals each gate needs", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var pipeline = new Option<string>("--pipeline") { Description = "Name of the Pipeline to run", DefaultValueFactory = _ => PipelineRunBuilder.DefaultPipeline };
        var accountPrefix = new Option<string>("--service-account-prefix") { Description = "Each stage runs as <prefix><stage> (tekton/rbac/)", DefaultValueFactory = _ => PipelineRunBuilder.DefaultAccountPrefix };
        var storageSize = new Option<string>("--storage-size") { Description = "Size of each run's workspace PVC", DefaultValueFactory = _ => "1Gi" };
        var storageClass = new Option<string?>("--storage-class") { Description = "StorageClass of the workspace PVC (default: the cluster's default)" };
        var strategy = new Option<string?>("--strategy") { Description = "Passed to transform: side-by-side, in-place or new-namespace (default: transform's choice per source mode)" };
        strategy.AcceptOnlyFromAmong(Core.Stages.Transform.Strategies.All);
        var imageTag = new Option<string?>("--image-tag") { Description = "Tag of the tool images (default: the pipeline's)" };

        var command = new Command("pipelineruns", Description);
        foreach (var option in new Option[] { workspace, outDir, approvers, approvalsRequired, pipeline, accountPrefix, storageSize, storageClass, strategy, imageTag })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var path = parse.GetValue(workspace);
                if (string.IsNullOrWhiteSpace(path))
                {
                    throw new UsageException($"--workspace is required (or set {CommonOptions.WorkspaceEnvironmentVariable})");
                }

                var settings = new PipelineRunSettings(
                    Pipeline: parse.GetValue(pipeline) ?? PipelineRunBuilder.DefaultPipeline,
                    Approvers: OptionParsing.NameList(parse.GetValue(approvers)),
                    ApprovalsRequired: parse.GetValue(approvalsRequired),
                    AccountPrefix: parse.GetValue(accountPrefix) ?? PipelineRunBuilder.DefaultAccountPrefix,
                    StorageSize: parse.GetValue(storageSize) ?? "1Gi",
                    StorageClass: parse.GetValue(storageClass),
                    Strategy: parse.GetValue(strategy),
                    ImageTag: parse.GetValue(imageTag));
                var (inventory, _) = await WorkspaceDocuments.ReadInventoryAsync(new WorkspaceLayout(path), ct).ConfigureAwait(false);
                var runs = PipelineRunBuilder.Build(inventory, settings);
                if (runs.Count == 0)
                {
                    await io.Stderr.WriteLineAsync("pipelineruns: no namespace in inventory.json has an InferenceService selected for migration; nothing written").ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var outputDir = parse.GetValue(outDir);
                if (outputDir is null)
                {
                    await io.Stdout.WriteAsync(Yaml.SerializeAll(runs.Select(r => (JsonNode?)r.Manifest))).ConfigureAwait(false);
                }
                else
                {
                    Directory.CreateDirectory(outputDir);
                    foreach (var run in runs)
                    {
                        await WorkspaceDocuments.WriteTextAtomicAsync(Path.Combine(outputDir, run.Name + ".yaml"), Yaml.Serialize(run.Manifest), cancellationToken: ct).ConfigureAwait(false);
                    }
                }

                await io.Stderr.WriteLineAsync($"pipelineruns: {runs.Count} PipelineRun(s) for {string.Join(", ", runs.Select(r => r.Namespace))}").ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (UsageException ex)
            {
                await io.Stderr.WriteLineAsync($"error: {Redactor.Redact(ex.Message)}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            catch (IOException ex)
            {
                await io.Stderr.WriteLineAsync($"error: {Redactor.Redact(ex.Message)}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        });
        return command;
    }
}

public sealed record PipelineRunSettings(string Pipeline, IReadOnlyList<string> Approvers, int ApprovalsRequired, string AccountPrefix, string StorageSize, string? StorageClass, string? Strategy, string? ImageTag);

public sealed record PipelineRunManifest(string Namespace, string Name, JsonObject Manifest);

/// <summary>Builds the PipelineRun objects; pure, so tests check them without a cluster.</summary>
public static class PipelineRunBuilder
{
    public const string DefaultPipeline = "migrate-namespace";
    public const string DefaultAccountPrefix = "odh-migration-";

    /// <summary>Pipeline tasks of migrate-namespace that run a stage tool, with the stage whose ServiceAccount they use.</summary>
    public static readonly IReadOnlyList<(string PipelineTask, string Stage)> StageTasks =
    [
        ("discover", "discover"), ("export", "export"), ("transform", "transform"),
        ("apply", "apply"), ("validate", "validate"), ("cleanup", "cleanup"),
    ];

    public static IReadOnlyList<PipelineRunManifest> Build(Inventory inventory, PipelineRunSettings settings)
    {
        if (settings.Approvers.Count == 0)
        {
            throw new UsageException("--approvers is required: the gates before apply and cleanup need at least one approver");
        }

        var hasGroup = settings.Approvers.Any(a => a.StartsWith("group:", StringComparison.Ordinal));
        if (settings.ApprovalsRequired < 1 || (settings.ApprovalsRequired > settings.Approvers.Count && !hasGroup))
        {
            throw new UsageException($"--approvals-required {settings.ApprovalsRequired}: must be between 1 and the number of approvers ({settings.Approvers.Count})");
        }

        return inventory.Items
            .Where(i => i.Selected)
            .GroupBy(i => i.Namespace, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Run(g.Key, g.Select(i => i.Name).Order(StringComparer.Ordinal).ToList(), settings))
            .ToList();
    }

    /// <summary>
    /// Deterministic per namespace, so creating a second run for a namespace while one exists fails: Tekton has no
    /// concurrency groups, and two runs must never migrate the same namespace at once.
    /// </summary>
    public static string RunName(string ns)
    {
        var name = "migrate-" + ns;
        if (name.Length <= 63)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ns)))[..8];
        return name[..54].TrimEnd('-') + "-" + hash;
    }

    private static PipelineRunManifest Run(string ns, IReadOnlyList<string> selected, PipelineRunSettings settings)
    {
        var name = RunName(ns);
        var parameters = new List<JsonNode?>
        {
            Param("namespace", ns),
            Param("select", string.Join(',', selected)),
            new JsonObject { ["name"] = "approvers", ["value"] = new JsonArray(settings.Approvers.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()) },
            Param("approvals-required", settings.ApprovalsRequired.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (settings.Strategy is { Length: > 0 } strategy)
        {
            parameters.Add(Param("strategy", strategy));
        }

        if (settings.ImageTag is { Length: > 0 } tag)
        {
            parameters.Add(Param("image-tag", tag));
        }

        var claimSpec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = settings.StorageSize } },
        };
        if (settings.StorageClass is { Length: > 0 } storageClass)
        {
            claimSpec["storageClassName"] = storageClass;
        }

        var taskRunSpecs = new JsonArray(StageTasks
            .Select(t => (JsonNode?)new JsonObject { ["pipelineTaskName"] = t.PipelineTask, ["serviceAccountName"] = settings.AccountPrefix + t.Stage })
            .ToArray());

        var manifest = new JsonObject
        {
            ["apiVersion"] = "tekton.dev/v1",
            ["kind"] = "PipelineRun",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject
                {
                    ["app.kubernetes.io/part-of"] = "odh-migration-tasks",
                    ["odh-migration/namespace"] = ns.Length <= 63 ? ns : ns[..63],
                },
            },
            ["spec"] = new JsonObject
            {
                ["pipelineRef"] = new JsonObject { ["name"] = settings.Pipeline },
                ["params"] = new JsonArray([.. parameters]),
                ["workspaces"] = new JsonArray(new JsonObject { ["name"] = "workspace", ["volumeClaimTemplate"] = new JsonObject { ["spec"] = claimSpec } }),

                // The default account has no role at all (transform's); every stage gets its own in taskRunSpecs.
                ["taskRunTemplate"] = new JsonObject { ["serviceAccountName"] = settings.AccountPrefix + "transform" },
                ["taskRunSpecs"] = taskRunSpecs,

                // Long enough for two human approvals (each gate waits up to 72h); pipeline >= tasks + finally.
                ["timeouts"] = new JsonObject { ["pipeline"] = "168h0m0s", ["tasks"] = "167h0m0s", ["finally"] = "1h0m0s" },
            },
        };
        return new PipelineRunManifest(ns, name, manifest);
    }

    private static JsonObject Param(string name, string value) => new() { ["name"] = name, ["value"] = value };
}
