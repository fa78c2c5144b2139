using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Simulator;

namespace OdhMigration.Integration.Tests.Support;

/// <summary>
/// Reads the RBAC manifests shipped in tekton/rbac and turns what one ServiceAccount is granted into simulator
/// access rules, so a stage can run against the simulator with exactly the permissions the pipeline gives it.
/// </summary>
public sealed class TektonRbac
{
    public const string ExampleNamespace = "fraud-detection";
    public const string PipelineNamespace = "odh-migration";
    public const string ExampleApplicationsNamespace = "opendatahub";
    public const string ExampleTargetNamespace = "fraud-detection-raw";

    private readonly List<JsonObject> _objects;

    private TektonRbac(List<JsonObject> objects) => _objects = objects;

    public static string Folder => Path.Combine(RepoPaths.Root, "tekton", "rbac");

    /// <summary>The manifests in tekton/rbac (optional grants only when named), with the example project namespace renamed as the bindings file tells users to.</summary>
    public static TektonRbac Load(string projectNamespace, params string[] optionalGrants) => LoadWithApplications(projectNamespace, ExampleApplicationsNamespace, optionalGrants);

    /// <summary>As <see cref="Load(string, string[])"/> (the example namespace renamed everywhere, resourceNames included), with the applications namespace renamed too (redhat-ods-applications on RHOAI).</summary>
    public static TektonRbac LoadWithApplications(string projectNamespace, string applicationsNamespace, params string[] optionalGrants) =>
        Load(projectNamespace, applicationsNamespace, null, optionalGrants);

    /// <summary>As <see cref="Load(string, string[])"/>, with the new-namespace example target (fraud-detection-raw) renamed to <paramref name="targetNamespace"/>.</summary>
    public static TektonRbac LoadWithTarget(string projectNamespace, string targetNamespace, params string[] optionalGrants) =>
        Load(projectNamespace, ExampleApplicationsNamespace, targetNamespace, optionalGrants);

    private static TektonRbac Load(string projectNamespace, string applicationsNamespace, string? targetNamespace, string[] optionalGrants)
    {
        var files = Directory.GetFiles(Folder, "*.yaml").Concat(optionalGrants.Select(g => Path.Combine(Folder, "optional", g + ".yaml")));
        var objects = files
            .SelectMany(f => Yaml.ParseDocuments(
                File.ReadAllText(f)
                    .Replace(ExampleTargetNamespace, targetNamespace ?? ExampleTargetNamespace, StringComparison.Ordinal)
                    .Replace(ExampleNamespace, projectNamespace, StringComparison.Ordinal)
                    .Replace($"namespace: {ExampleApplicationsNamespace}", $"namespace: {applicationsNamespace}", StringComparison.Ordinal),
                f))
            .Select(d => d.Root).OfType<JsonObject>().ToList();
        return new TektonRbac(objects);
    }

    /// <summary>Both sets of manifests, e.g. the bindings repeated for a second project namespace.</summary>
    public TektonRbac With(TektonRbac other) => new([.. _objects, .. other._objects]);

    /// <summary>Everything granted to odh-migration-&lt;stage&gt;, and nothing else (no match means forbidden).</summary>
    public AccessRules For(string stage)
    {
        var account = "odh-migration-" + stage;
        var rules = new List<AccessRule>();
        foreach (var binding in _objects.Where(o => o.Kind() is "RoleBinding" or "ClusterRoleBinding"))
        {
            var subjects = binding["subjects"] as JsonArray ?? [];
            if (!subjects.Any(s => s.Str("kind") == "ServiceAccount" && s.Str("name") == account && s.Str("namespace") == PipelineNamespace))
            {
                continue;
            }

            var scope = binding.Kind() == "RoleBinding" ? binding.Namespace() : null;
            var roleRef = binding["roleRef"];
            // With() may hold the same ClusterRole twice, once per namespace it names (resourceNames): both count.
            var roles = _objects.Where(o => o.Kind() == roleRef.Str("kind") && o.Name() == roleRef.Str("name") && (o.Kind() == "ClusterRole" || o.Namespace() == scope)).ToList();
            if (roles.Count == 0)
            {
                throw new InvalidOperationException($"{binding.Kind()} {binding.Name()} refers to {roleRef.Str("kind")} {roleRef.Str("name")}, which tekton/rbac does not define");
            }

            foreach (var rule in roles.SelectMany(role => (role["rules"] as JsonArray ?? []).OfType<JsonObject>()))
            {
                // resourceNames become simulator names: as in RBAC, a request without a name (list, watch, create)
                // never matches a named rule.
                IReadOnlyList<string>? names = rule["resourceNames"] is JsonArray { Count: > 0 } ? [.. Strings(rule, "resourceNames")] : null;
                rules.AddRange(
                    from g in Strings(rule, "apiGroups")
                    from r in Strings(rule, "resources")
                    from v in Strings(rule, "verbs")
                    select new AccessRule(v, g, r, scope, Names: names));
            }
        }

        return new AccessRules(rules, Default: false);
    }

    private static IEnumerable<string> Strings(JsonObject rule, string field) =>
        (rule[field] as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "");
}
