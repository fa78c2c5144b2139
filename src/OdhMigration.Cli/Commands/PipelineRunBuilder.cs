using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// Builds, per namespace, what one migration needs: its workspace PVC and RoleBindings (set up once, re-applied
/// safely) and a PipelineRun (created anew for every try). Pure, so tests check them without a cluster.
/// </summary>
public static class PipelineRunBuilder
{
    public const string DefaultPipeline = "migrate-namespace";
    public const string DefaultAccountPrefix = "odh-migration-";
    public const string DefaultPipelinesNamespace = "odh-migration";
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string PartOf = "odh-migration-tasks";
    public const string NamespaceLabel = "odh-migration/namespace";
    public const string WorkspaceLabel = "odh-migration/workspace";
    public const string RetentionAnnotation = "odh-migration/retention";

    /// <summary>Where a resumed run starts: the split pipelines' second or third part, on the same PVC.</summary>
    public static readonly IReadOnlyDictionary<string, (string Pipeline, string ShaParam, IReadOnlyList<string> Tasks)> ResumePoints =
        new Dictionary<string, (string, string, IReadOnlyList<string>)>(StringComparer.Ordinal)
        {
            ["apply"] = ("migrate-namespace-apply", "plan-sha256", ["apply", "validate"]),
            ["cleanup"] = ("migrate-namespace-cleanup", "validation-sha256", ["cleanup"]),
        };

    /// <summary>Pipeline tasks of migrate-namespace that run a stage tool, with the stage whose ServiceAccount they use.</summary>
    public static readonly IReadOnlyList<(string PipelineTask, string Stage)> StageTasks =
    [
        ("discover", "discover"), ("export", "export"), ("transform", "transform"),
        ("apply", "apply"), ("validate", "validate"), ("cleanup", "cleanup"),
    ];

    /// <summary>The tools whose image a run can set (pipeline params image-&lt;tool&gt;); migrate runs the summary and reports.</summary>
    public static readonly IReadOnlyList<string> ImageTools = [.. StageTasks.Select(t => t.Stage), "migrate"];

    /// <summary>--image values: one &lt;tool&gt;=&lt;reference&gt; per tool of <see cref="ImageTools"/>; anything else is a usage error.</summary>
    public static IReadOnlyDictionary<string, string> ParseImages(IEnumerable<string>? values)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var (tool, reference) = OptionParsing.Pairs("--image", [value]).Single();
            if (!ImageTools.Contains(tool, StringComparer.Ordinal) && tool != RollbackRuns.Tool)
            {
                throw new UsageException($"--image '{value}': unknown tool '{tool}' (one of {string.Join(", ", ImageTools)}, {RollbackRuns.Tool})");
            }

            if (reference.Any(char.IsWhiteSpace))
            {
                throw new UsageException($"--image '{value}': an image reference has no spaces");
            }

            if (!result.TryAdd(tool, reference))
            {
                throw new UsageException($"--image: {tool} is given twice");
            }
        }

        return result;
    }

    public static IReadOnlyList<NamespaceMigration> Build(Inventory inventory, PipelineRunSettings settings)
    {
        var resume = settings.ResumeFrom;
        if (resume is null)
        {
            RequireApprovers(settings, "the gates before apply and cleanup need");
        }
        else if (!ResumePoints.ContainsKey(resume))
        {
            throw new UsageException($"--resume-from '{resume}': expected one of {string.Join(", ", ResumePoints.Keys)}");
        }

        var namespaces = inventory.Items
            .Where(i => i.Selected)
            .GroupBy(i => i.Namespace, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (resume is not null && namespaces.Count > 1 && settings.Namespace is null)
        {
            throw new UsageException($"--resume-from resumes one namespace with the sha256 approved for it; name it with --namespace (inventory.json selects {string.Join(", ", namespaces.Select(g => g.Key))})");
        }

        var chosen = namespaces.Where(g => settings.Namespace is null || g.Key == settings.Namespace).ToList();

        RequireValidNamespaces(chosen.Select(g => g.Key));
        return chosen
            .Select(g => Migration(g.Key, g.Select(i => i.Name).Order(StringComparer.Ordinal).ToList(), g.Select(i => i.Mode).ToHashSet(StringComparer.Ordinal), chosen.Count, settings))
            .ToList();
    }

    /// <summary>At least one approver, and approvals-required between 1 and their number (a group may hold more people).</summary>
    internal static void RequireApprovers(PipelineRunSettings settings, string gates)
    {
        if (settings.Approvers.Count == 0)
        {
            throw new UsageException($"--approvers is required: {gates} at least one approver");
        }

        var hasGroup = settings.Approvers.Any(a => a.StartsWith("group:", StringComparison.Ordinal));
        if (settings.ApprovalsRequired < 1 || (settings.ApprovalsRequired > settings.Approvers.Count && !hasGroup))
        {
            throw new UsageException($"--approvals-required {settings.ApprovalsRequired}: must be between 1 and the number of approvers ({settings.Approvers.Count})");
        }
    }

    /// <summary>
    /// inventory.json is a workspace document, so untrusted: its namespaces become file names (setup/&lt;ns&gt;.yaml) and
    /// resource names, so each must be a name the API server would accept.
    /// </summary>
    internal static void RequireValidNamespaces(IEnumerable<string> namespaces)
    {
        foreach (var ns in namespaces)
        {
            if (KubernetesNames.Problem("Namespace", ns) is { } problem)
            {
                throw new UsageException($"inventory.json: namespace '{KubernetesNames.Printable(ns)}' of a selected InferenceService is not a valid namespace name: {problem}");
            }
        }
    }

    /// <summary>The run's generateName: Kubernetes appends 5 random characters, so every try gets a new run.</summary>
    public static string RunPrefix(string ns, string? resumeFrom = null, int? wave = null) =>
        Bounded($"migrate-{ns}{(resumeFrom is null ? "" : "-" + resumeFrom)}{(wave is { } k ? "-w" + k.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}", 52) + "-";

    /// <summary>The namespace's workspace PVC: one per migrated namespace, owned by no PipelineRun.</summary>
    public static string ClaimName(string ns) => Bounded("odh-migration-ws-" + ns, 63);

    /// <summary>A name within <paramref name="max"/> characters; a cut one ends in a hash of the whole, so two never collide.</summary>
    public static string Bounded(string name, int max)
    {
        if (name.Length <= max)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return name[..(max - 9)].TrimEnd('-') + "-" + hash;
    }

    private static NamespaceMigration Migration(string ns, IReadOnlyList<string> selected, IReadOnlySet<string> modes, int namespaceCount, PipelineRunSettings settings)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PartOfLabel] = PartOf,
            [NamespaceLabel] = ns.Length <= 63 ? ns : ns[..63],
        };
        var claim = Claim(ns, settings, labels);
        var target = StrategyGrants.TargetFor(ns, settings.TargetNamespace, namespaceCount);
        var strategies = StrategyGrants.StrategiesOf(modes, settings.Strategy);
        var bindings = NamespaceBindings.For(ns, settings.PipelinesNamespace, settings.AccountPrefix, labels)
            .Concat(StrategyGrants.For(ns, modes, strategies, target, settings, labels))
            .ToList();
        var run = settings.ResumeFrom is { } resume ? ResumeRun(ns, resume, settings, labels) : FullRun(ns, selected, target, settings, labels);
        return new NamespaceMigration(ns, claim, bindings, run);
    }

    internal static JsonObject Claim(string ns, PipelineRunSettings settings, Dictionary<string, string> labels)
    {
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = settings.StorageSize } },
        };
        if (settings.StorageClass is { Length: > 0 } storageClass)
        {
            spec["storageClassName"] = storageClass;
        }

        var claimLabels = Labels(labels);
        claimLabels[WorkspaceLabel] = "true";
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject
            {
                ["name"] = ClaimName(ns),
                ["namespace"] = settings.PipelinesNamespace,
                ["labels"] = claimLabels,
                ["annotations"] = new JsonObject
                {
                    [RetentionAnnotation] = $"Holds the only backups (original objects), the ledger and the reports of the migration of namespace {ns}. " +
                        "No PipelineRun owns it: deleting or pruning runs leaves it. Keep it until the namespace is migrated, cleaned up and its backups are archived; " +
                        "use a StorageClass with reclaimPolicy Retain so deleting the claim by mistake keeps the volume.",
                },
            },
            ["spec"] = spec,
        };
    }

    private static JsonObject FullRun(string ns, IReadOnlyList<string> selected, string? target, PipelineRunSettings settings, Dictionary<string, string> labels)
    {
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

        if (target is not null)
        {
            parameters.Add(Param("target-namespace", target));
        }

        AddWave(parameters, settings);
        AddWavePlanning(parameters, settings);
        AddStopOriginal(parameters, settings);
        AddImages(parameters, ImageTools, settings);

        // Long enough for two human approvals (each gate waits up to 72h); pipeline >= tasks + finally.
        var timeouts = new JsonObject { ["pipeline"] = "168h0m0s", ["tasks"] = "167h0m0s", ["finally"] = "1h0m0s" };
        return Run(ns, RunPrefix(ns, null, settings.Wave), settings.Pipeline, parameters, StageTasks, settings, labels, timeouts, pending: false);
    }

    /// <summary>
    /// A resumed run of the split pipeline's apply or cleanup part, on the same PVC, carrying the sha256 the failed
    /// run's gate approved. It is created Pending: someone allowed to patch PipelineRuns releases it after checking
    /// that sha256 against the failed run, so resuming is no way around the gate.
    /// </summary>
    private static JsonObject ResumeRun(string ns, string resume, PipelineRunSettings settings, Dictionary<string, string> labels)
    {
        var (pipeline, shaParam, tasks) = ResumePoints[resume];
        RefuseWavePlanning(settings, $"--resume-from {resume}");
        var sha = settings.ApprovedSha256?.Trim() ?? "";
        if (!ApprovedSha256.IsSha256(sha))
        {
            throw new UsageException($"--resume-from {resume} needs --approved-sha256: the {shaParam} result the failed run's gate approved (64 hex characters){(sha.Length == 0 ? "" : $", got '{sha}'")}");
        }

        var parameters = new List<JsonNode?> { Param("namespace", ns), Param(shaParam, sha.ToLowerInvariant()) };
        var stageTasks = StageTasks.Where(t => tasks.Contains(t.PipelineTask)).ToList();
        AddWave(parameters, settings);
        if (stageTasks.Any(t => t.Stage == "apply"))
        {
            AddStopOriginal(parameters, settings);
        }
        else
        {
            RefuseStopOriginal(settings, $"--resume-from {resume} (no apply in that run)");
        }

        AddImages(parameters, [.. stageTasks.Select(t => t.Stage), "migrate"], settings);
        var timeouts = new JsonObject { ["pipeline"] = "24h0m0s", ["tasks"] = "23h0m0s", ["finally"] = "1h0m0s" };
        return Run(ns, RunPrefix(ns, resume, settings.Wave), pipeline, parameters, stageTasks, settings, labels, timeouts, pending: true);
    }

    internal static JsonObject Run(string ns, string generateName, string pipeline, List<JsonNode?> parameters, IReadOnlyList<(string PipelineTask, string Stage)> stageTasks, PipelineRunSettings settings, Dictionary<string, string> labels, JsonObject timeouts, bool pending)
    {
        var taskRunSpecs = new JsonArray(stageTasks
            .Select(t => (JsonNode?)new JsonObject { ["pipelineTaskName"] = t.PipelineTask, ["serviceAccountName"] = settings.AccountPrefix + t.Stage })
            .ToArray());
        var spec = new JsonObject();
        if (pending)
        {
            spec["status"] = "PipelineRunPending";
        }

        spec["pipelineRef"] = new JsonObject { ["name"] = pipeline };
        spec["params"] = new JsonArray([.. parameters]);

        // The namespace's own PVC, never a volumeClaimTemplate: a run-owned claim is deleted with its run, and
        // with it the only backups of what apply (in-place) and cleanup removed.
        spec["workspaces"] = new JsonArray(new JsonObject { ["name"] = "workspace", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = ClaimName(ns) } });

        // The default account has no role at all (transform's); every stage gets its own in taskRunSpecs.
        spec["taskRunTemplate"] = new JsonObject { ["serviceAccountName"] = settings.AccountPrefix + "transform" };
        spec["taskRunSpecs"] = taskRunSpecs;
        spec["timeouts"] = timeouts;
        return new JsonObject
        {
            ["apiVersion"] = "tekton.dev/v1",
            ["kind"] = "PipelineRun",
            ["metadata"] = new JsonObject
            {
                ["generateName"] = generateName,
                ["namespace"] = settings.PipelinesNamespace,
                ["labels"] = Labels(labels),
            },
            ["spec"] = spec,
        };
    }

    /// <summary>
    /// --wave K: the pipelines' wave param, so the run's apply, validate and cleanup act on plan wave K only. Waves
    /// run one after another (docs/waves.md): wave K+1 is a resumed apply run with --wave K+1 once wave K is cleaned up.
    /// </summary>
    private static void AddWave(List<JsonNode?> parameters, PipelineRunSettings settings)
    {
        if (settings.Wave is { } wave)
        {
            parameters.Add(Param("wave", wave.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>
    /// --waves / --wave-size / --wave-order: the full run's transform plans waves, so its --wave K names a wave of the plan
    /// that run makes. A full run with --wave K and no wave planning would plan no waves and apply would refuse it (exit 2)
    /// only after the plan gate: refused here instead. A resumed run reuses the PVC's plan and takes none of them.
    /// </summary>
    private static void AddWavePlanning(List<JsonNode?> parameters, PipelineRunSettings settings)
    {
        if (settings.PlanWaves is not null && settings.PlanWaveSize is not null)
        {
            throw new UsageException("--waves auto and --wave-size are mutually exclusive: fit the capacity, or a fixed number per wave");
        }

        if (settings.PlanWaveSize is < 1)
        {
            throw new UsageException($"--wave-size {settings.PlanWaveSize}: expected a number of InferenceServices of at least 1");
        }

        if (settings.PlanWaveOrder is not null && settings.PlanWaves is null && settings.PlanWaveSize is null)
        {
            throw new UsageException("--wave-order needs --waves auto or --wave-size N");
        }

        if (settings.Wave is not null && settings.PlanWaves is null && settings.PlanWaveSize is null)
        {
            throw new UsageException($"--wave {settings.Wave}: a full run plans again, and without --waves auto or --wave-size N its plan has no waves (apply would refuse --wave, exit 2); give one of them, or resume an existing plan with --resume-from apply --wave {settings.Wave}");
        }

        if (settings.PlanWaves is { } waves)
        {
            parameters.Add(Param("waves", waves));
        }

        if (settings.PlanWaveSize is { } size)
        {
            parameters.Add(Param("wave-size", size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (settings.PlanWaveOrder is { } order)
        {
            parameters.Add(Param("wave-order", order));
        }
    }

    /// <summary>
    /// --stop-original (or an --all-waves run of a stopOriginalsFirst wave): the pipelines' stop-original param, passed to
    /// apply's --stop-original. Given explicitly ("true" or "false") only when set, so a run without it keeps the pipeline's default.
    /// </summary>
    private static void AddStopOriginal(List<JsonNode?> parameters, PipelineRunSettings settings)
    {
        if (settings.StopOriginal is { } stop)
        {
            parameters.Add(Param("stop-original", stop ? "true" : "false"));
        }
    }

    /// <summary>Runs without an apply (a resumed cleanup, a rollback) refuse --stop-original rather than ignore it.</summary>
    internal static void RefuseStopOriginal(PipelineRunSettings settings, string what)
    {
        if (settings.StopOriginal == true)
        {
            throw new UsageException($"{what} applies nothing: --stop-original applies only to a run with an apply (a full run, --resume-from apply, --all-waves)");
        }
    }

    /// <summary>Runs that make no plan (resumed, rollback, --all-waves from the workspace's plan) refuse the planning options rather than ignore them.</summary>
    internal static void RefuseWavePlanning(PipelineRunSettings settings, string what)
    {
        if (settings.PlanWaves is not null || settings.PlanWaveSize is not null || settings.PlanWaveOrder is not null)
        {
            throw new UsageException($"{what} makes no plan: --waves, --wave-size and --wave-order apply only to a full run, whose transform plans the waves");
        }
    }

    /// <summary>An image-&lt;tool&gt; param for each tool the run's pipeline runs and --image names.</summary>
    internal static void AddImages(List<JsonNode?> parameters, IReadOnlyList<string> tools, PipelineRunSettings settings)
    {
        foreach (var tool in tools.Where(settings.Images.ContainsKey))
        {
            parameters.Add(Param("image-" + tool, settings.Images[tool]));
        }
    }

    private static JsonObject Labels(Dictionary<string, string> labels)
    {
        var result = new JsonObject();
        foreach (var (key, value) in labels)
        {
            result[key] = value;
        }

        return result;
    }

    internal static JsonObject Param(string name, string value) => new() { ["name"] = name, ["value"] = value };
}

public sealed record PipelineRunSettings(string Pipeline, IReadOnlyList<string> Approvers, int ApprovalsRequired, string AccountPrefix, string StorageSize, string? StorageClass, string? Strategy, IReadOnlyDictionary<string, string> Images)
{
    public string PipelinesNamespace { get; init; } = PipelineRunBuilder.DefaultPipelinesNamespace;

    /// <summary>Only this namespace of the inventory (required with --resume-from when there are several).</summary>
    public string? Namespace { get; init; }

    /// <summary>"apply" or "cleanup": write a resumed run of that part of the split pipeline instead of a full run.</summary>
    public string? ResumeFrom { get; init; }
    public string? ApprovedSha256 { get; init; }

    /// <summary>--target-namespace-template for the new-namespace strategy; "{namespace}" stands for each source namespace.</summary>
    public string? TargetNamespace { get; init; }

    /// <summary>--wave K: the run's apply, validate and cleanup act on plan wave K only (the pipelines' wave param).</summary>
    public int? Wave { get; init; }

    /// <summary>--waves auto, --wave-size N, --wave-order: passed to the full run's transform (the pipeline's waves, wave-size and wave-order params).</summary>
    public string? PlanWaves { get; init; }
    public int? PlanWaveSize { get; init; }
    public string? PlanWaveOrder { get; init; }

    /// <summary>
    /// The run's stop-original param (apply's --stop-original): true with --stop-original, set per wave by --all-waves
    /// (true for a wave whose plan says stopOriginalsFirst); null writes none (the pipeline's default, "false").
    /// </summary>
    public bool? StopOriginal { get; init; }
}

/// <summary>What one namespace's migration needs: set up once (claim, bindings) and a run created per try.</summary>
public sealed record NamespaceMigration(string Namespace, JsonObject Claim, IReadOnlyList<JsonObject> Bindings, JsonObject Run)
{
    /// <summary>
    /// The setup documents, safe to apply again: the claim (in the pipelines' namespace), the namespace's
    /// RoleBindings and the grants its strategy needs (tekton/rbac/optional/, moved to this namespace and its target).
    /// </summary>
    public IEnumerable<JsonObject> Setup => Bindings.Prepend(Claim);
}
