using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// The RoleBindings one migrated namespace needs, made from tekton/rbac/namespace-bindings.yaml (embedded at build
/// time, so the file stays the single source and a change to it reaches every generated namespace): each binding is
/// moved into the namespace, and its ServiceAccount subjects point at the pipelines' namespace and account prefix.
/// </summary>
public static class NamespaceBindings
{
    public const string TemplateNamespace = "fraud-detection";
    private const string ResourceName = "namespace-bindings.yaml";
    private const string TemplatePrefix = "odh-migration-";

    public static IReadOnlyList<JsonObject> For(string ns, string pipelinesNamespace, string accountPrefix, IReadOnlyDictionary<string, string> labels)
    {
        var result = new List<JsonObject>();
        foreach (var document in Yaml.ParseDocuments(Template(), ResourceName))
        {
            if (document.Root is not JsonObject binding)
            {
                continue;
            }

            var copy = binding.DeepCopy().AsObject();
            var metadata = copy["metadata"]!.AsObject();
            metadata["namespace"] = ns;
            var labelObject = new JsonObject();
            foreach (var (key, value) in labels)
            {
                labelObject[key] = value;
            }

            metadata["labels"] = labelObject;
            foreach (var subject in copy["subjects"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                if (subject.Str("kind") != "ServiceAccount")
                {
                    continue;
                }

                subject["namespace"] = pipelinesNamespace;
                var name = subject.Str("name") ?? "";
                if (name.StartsWith(TemplatePrefix, StringComparison.Ordinal))
                {
                    subject["name"] = accountPrefix + name[TemplatePrefix.Length..];
                }
            }

            result.Add(copy);
        }

        return result;
    }

    private static string Template()
    {
        using var stream = typeof(NamespaceBindings).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(NamespaceBindings).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
