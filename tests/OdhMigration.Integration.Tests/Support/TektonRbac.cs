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

    private readonly List<JsonObject> _objects;

    private TektonRbac(List<JsonObject> objects) => _objects = objects;

    public static string Folder => Path.Combine(RepoPaths.Root, "tekton", "rbac");

    /// <summary>The manifests in tekton/rbac (optional grants only when named), with the example project namespace renamed as the bindings file tells users to.</summary>
    public static TektonRbac Load(string projectNamespace, params string[] optionalGrants)
    {
        var files = Directory.GetFiles(Folder, "*.yaml").Concat(optionalGrants.Select(g => Path.Combine(Folder, "optional", g + ".yaml")));
        var objects = files
            .SelectMany(f => Yaml.ParseDocuments(File.ReadAllText(f).Replace($"namespace: {ExampleNamespace}", $"namespace: {projectNamespace}", StringComparison.Ordinal), f))
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
            var role = _objects.FirstOrDefault(o => o.Kind() == roleRef.Str("kind") && o.Name() == roleRef.Str("name") && (o.Kind() == "ClusterRole" || o.Namespace() == scope))
                ?? throw new InvalidOperationException($"{binding.Kind()} {binding.Name()} refers to {roleRef.Str("kind")} {roleRef.Str("name")}, which tekton/rbac does not define");
            foreach (var rule in (role["rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                // RBAC cannot restrict list, watch or create by name, so a rule with resourceNames grants only the
                // per-object verbs; the simulator's rules do not check names, which keeps this conservative.
                var named = rule["resourceNames"] is JsonArray { Count: > 0 };
                rules.AddRange(
                    from g in Strings(rule, "apiGroups")
                    from r in Strings(rule, "resources")
                    from v in Strings(rule, "verbs")
                    where !named || v is not ("list" or "watch" or "create" or "deletecollection")
                    select new AccessRule(v, g, r, scope));
            }
        }

        return new AccessRules(rules, Default: false);
    }

    private static IEnumerable<string> Strings(JsonObject rule, string field) =>
        (rule[field] as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "");
}
