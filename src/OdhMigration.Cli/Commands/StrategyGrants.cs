using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// The optional grants (tekton/rbac/optional/) a namespace's strategy needs, written by pipelineruns next to the
/// namespace's bindings, so nobody copies them by hand: in-place gets the replace role in the namespace, the
/// istio-system Route role when it has Serverless ISVCs and the relabel role of that one namespace when it has
/// ModelMesh ones; new-namespace gets the create-namespace role, the role of that one target namespace and every
/// stage's bindings in the target.
/// </summary>
public static class StrategyGrants
{
    public const string TargetPlaceholder = "{namespace}";
    private const string InPlaceFile = "optional/in-place.yaml";
    private const string NewNamespaceFile = "optional/new-namespace.yaml";
    private const string ExampleTarget = "fraud-detection-raw";
    private const string IngressNamespace = "istio-system";
    private const string RelabelRolePrefix = "odh-migration-relabel-namespace-";

    /// <summary>The strategy each selected mode of the namespace ends up with: the explicit one, else transform's default per mode.</summary>
    public static IReadOnlySet<string> StrategiesOf(IEnumerable<string> modes, string? strategy) =>
        modes.Select(mode => strategy ?? (mode == DeploymentMode.ModelMesh ? Strategies.NewNamespace : Strategies.SideBySide))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// --target-namespace-template for one source namespace: "{namespace}" stands for it, so one pattern serves a whole
    /// inventory; without it, two namespaces would be merged into one target, which is refused.
    /// </summary>
    public static string? TargetFor(string ns, string? pattern, int namespaceCount)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return null;
        }

        if (namespaceCount > 1 && !pattern.Contains(TargetPlaceholder, StringComparison.Ordinal))
        {
            throw new UsageException($"--target-namespace-template '{pattern}' would move {namespaceCount} namespaces into one; write it with {TargetPlaceholder} (for example {TargetPlaceholder}-raw) or pick one with --namespace");
        }

        var target = pattern.Replace(TargetPlaceholder, ns, StringComparison.Ordinal);
        if (!NameLimits.IsDns1123Label(target))
        {
            throw new UsageException($"--target-namespace-template '{pattern}': '{target}' is not a valid namespace name (DNS-1123 label, at most 63 characters)");
        }

        if (target == ns)
        {
            throw new UsageException($"--target-namespace-template '{pattern}': the target of {ns} is {ns} itself; use --strategy in-place");
        }

        return target;
    }

    public static IReadOnlyList<JsonObject> For(string ns, IReadOnlyCollection<string> modes, IReadOnlySet<string> strategies, string? target, PipelineRunSettings settings, IReadOnlyDictionary<string, string> labels)
    {
        var result = new List<JsonObject>();
        if (strategies.Contains(Strategies.InPlace))
        {
            var hasServerless = modes.Contains(DeploymentMode.Serverless);
            var hasModelMesh = modes.Contains(DeploymentMode.ModelMesh);
            result.AddRange(RbacTemplate
                .Instantiate(InPlaceFile, [(NamespaceBindings.TemplateNamespace, ns)], settings.PipelinesNamespace, settings.AccountPrefix, labels, PipelineRunBuilder.NamespaceLabel)
                .Where(d => (d["metadata"] as JsonObject)?.Str("namespace") != IngressNamespace || hasServerless)
                .Where(d => !IsRelabel(d) || hasModelMesh));
        }

        // A resumed run's setup was applied with the first run; without the target again, its part is left out
        // rather than refused, since resuming does not transform.
        if (strategies.Contains(Strategies.NewNamespace) && (target is not null || settings.ResumeFrom is null))
        {
            if (target is null)
            {
                throw new UsageException($"namespace {ns}: the new-namespace strategy{(settings.Strategy is null ? " (transform's default for ModelMesh)" : "")} needs --target-namespace-template (for example '{TargetPlaceholder}-raw'), or choose --strategy in-place");
            }

            result.AddRange(RbacTemplate.Instantiate(NewNamespaceFile, [(ExampleTarget, target)], settings.PipelinesNamespace, settings.AccountPrefix, labels, PipelineRunBuilder.NamespaceLabel));
            result.AddRange(NamespaceBindings.For(target, settings.PipelinesNamespace, settings.AccountPrefix, labels));
        }

        return result;
    }

    private static bool IsRelabel(JsonObject document) =>
        (document["metadata"] as JsonObject)?.Str("name")?.StartsWith(RelabelRolePrefix, StringComparison.Ordinal) == true;
}
