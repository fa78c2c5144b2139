using System.Text.Json.Nodes;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// The RoleBindings one migrated namespace needs, made from tekton/rbac/namespace-bindings.yaml: each binding is
/// moved into the namespace, and its ServiceAccount subjects point at the pipelines' namespace and account prefix.
/// </summary>
public static class NamespaceBindings
{
    public const string TemplateNamespace = "fraud-detection";
    private const string ResourceName = "namespace-bindings.yaml";

    public static IReadOnlyList<JsonObject> For(string ns, string pipelinesNamespace, string accountPrefix, IReadOnlyDictionary<string, string> labels) =>
        RbacTemplate.Instantiate(ResourceName, [(TemplateNamespace, ns)], pipelinesNamespace, accountPrefix, labels);
}
