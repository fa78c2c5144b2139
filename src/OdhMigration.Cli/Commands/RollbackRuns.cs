using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// odh-migrate pipelineruns --rollback: per namespace of inventory.json with InferenceServices selected, a run of the
/// rollback-namespace Pipeline on the namespace's own workspace PVC (the one its migration ran on, which holds the
/// backups and the ledger), with the setup rollback needs: the same claim and RoleBindings (re-applied safely) and
/// the optional grants of tekton/rbac/optional/rollback.yaml its InferenceServices need (the istio-system Route role
/// with Serverless ones, the namespace-label role with ModelMesh ones migrated in place). Pure, like
/// <see cref="PipelineRunBuilder"/>.
/// </summary>
public static class RollbackRuns
{
    public const string Pipeline = "rollback-namespace";
    public const string Stage = "rollback";

    /// <summary>The tool whose image a rollback run can set (--image rollback=...), beside migrate (the summary).</summary>
    public const string Tool = "rollback";

    private const string GrantsFile = "optional/rollback.yaml";
    private const string IngressNamespace = "istio-system";
    private const string RelabelRolePrefix = "odh-migration-rollback-relabel-namespace-";

    /// <summary>Both tasks that run odh-rollback (the dry run and the gated run) run as the rollback account.</summary>
    public static readonly IReadOnlyList<(string PipelineTask, string Stage)> StageTasks = [("plan", Stage), ("rollback", Stage)];

    public static IReadOnlyList<NamespaceMigration> Build(Inventory inventory, PipelineRunSettings settings)
    {
        if (settings.ResumeFrom is not null || settings.ApprovedSha256 is not null)
        {
            throw new UsageException("--rollback writes a run with its own gate (the rollback plan's sha256): --resume-from and --approved-sha256 do not apply");
        }

        if (settings.Wave is not null)
        {
            throw new UsageException("--rollback reverses everything the namespace's migration applied (every wave); --wave does not apply");
        }

        PipelineRunBuilder.RefuseWavePlanning(settings, "--rollback");
        PipelineRunBuilder.RequireApprovers(settings, "the gate before rollback needs");

        var chosen = inventory.Items
            .Where(i => i.Selected && (settings.Namespace is null || i.Namespace == settings.Namespace))
            .GroupBy(i => i.Namespace, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        PipelineRunBuilder.RequireValidNamespaces(chosen.Select(g => g.Key));

        return [.. chosen.Select(g => Rollback(g.Key, g.Select(i => i.Mode).ToHashSet(StringComparer.Ordinal), chosen.Count, settings))];
    }

    /// <summary>The run's generateName: a new run per try, resumed by the stage from rollback-ledger.json.</summary>
    public static string RunPrefix(string ns) => PipelineRunBuilder.Bounded($"rollback-{ns}", 52) + "-";

    private static NamespaceMigration Rollback(string ns, IReadOnlySet<string> modes, int namespaceCount, PipelineRunSettings settings)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PipelineRunBuilder.PartOfLabel] = PipelineRunBuilder.PartOf,
            [PipelineRunBuilder.NamespaceLabel] = ns.Length <= 63 ? ns : ns[..63],
        };
        var strategies = StrategyGrants.StrategiesOf(modes, settings.Strategy);
        var bindings = NamespaceBindings.For(ns, settings.PipelinesNamespace, settings.AccountPrefix, labels).ToList();

        // new-namespace: the replacements to delete are in the target, so the rollback account is bound there too.
        if (strategies.Contains(Strategies.NewNamespace))
        {
            var target = StrategyGrants.TargetFor(ns, settings.TargetNamespace, namespaceCount)
                ?? throw new UsageException($"namespace {ns}: its replacements are in the new-namespace target{(settings.Strategy is null ? " (transform's default for ModelMesh)" : "")}, where rollback deletes them: give the --target-namespace-template its migration used, or --strategy in-place if it was migrated in place");
            bindings.AddRange(NamespaceBindings.For(target, settings.PipelinesNamespace, settings.AccountPrefix, labels));
        }

        var hasServerless = modes.Contains(DeploymentMode.Serverless);
        var relabels = modes.Contains(DeploymentMode.ModelMesh) && strategies.Contains(Strategies.InPlace);
        bindings.AddRange(RbacTemplate
            .Instantiate(GrantsFile, [(NamespaceBindings.TemplateNamespace, ns)], settings.PipelinesNamespace, settings.AccountPrefix, labels, PipelineRunBuilder.NamespaceLabel)
            .Where(d => (d["metadata"] as JsonObject)?.Str("namespace") != IngressNamespace || hasServerless)
            .Where(d => !((d["metadata"] as JsonObject)?.Str("name")?.StartsWith(RelabelRolePrefix, StringComparison.Ordinal) == true) || relabels));

        var parameters = new List<JsonNode?>
        {
            PipelineRunBuilder.Param("namespace", ns),
            new JsonObject { ["name"] = "approvers", ["value"] = new JsonArray([.. settings.Approvers.Select(a => (JsonNode?)JsonValue.Create(a))]) },
            PipelineRunBuilder.Param("approvals-required", settings.ApprovalsRequired.ToString(CultureInfo.InvariantCulture)),
        };
        PipelineRunBuilder.AddImages(parameters, [Tool, "migrate"], settings);

        // One gate (up to 72h) and two short tasks; pipeline >= tasks + finally.
        var timeouts = new JsonObject { ["pipeline"] = "74h0m0s", ["tasks"] = "73h0m0s", ["finally"] = "1h0m0s" };
        var pipeline = settings.Pipeline == PipelineRunBuilder.DefaultPipeline ? Pipeline : settings.Pipeline;
        var run = PipelineRunBuilder.Run(ns, RunPrefix(ns), pipeline, parameters, StageTasks, settings, labels, timeouts, pending: false);
        return new NamespaceMigration(ns, PipelineRunBuilder.Claim(ns, settings, labels), bindings, run);
    }
}
