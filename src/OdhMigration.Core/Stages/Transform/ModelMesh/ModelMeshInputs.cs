using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform.ModelMesh;

/// <summary>
/// Workspace inputs beyond the item's own originals: the runtime Templates export saved (cluster level) and the
/// namespace-level facts a move to a new namespace must report. Namespace facts are optional files under
/// &lt;ns&gt;/_namespace/; when a file is absent the fact is "not known" and the plan says so.
/// </summary>
public sealed class ModelMeshInputs
{
    public const string PvcsFile = NamespaceFactsFiles.Pvcs;
    public const string RoleBindingsFile = NamespaceFactsFiles.Permissions;
    public const string DataConnectionsFile = NamespaceFactsFiles.DataConnections;

    private readonly Dictionary<string, JsonObject> _templates;

    private ModelMeshInputs(Dictionary<string, JsonObject> templates, string? templateNamespace, List<string> problems)
    {
        _templates = templates;
        TemplateNamespace = templateNamespace;
        Problems = problems;
    }

    public string? TemplateNamespace { get; }

    /// <summary>Templates that could not be read (changed since export, not an object); reported, never fatal.</summary>
    public IReadOnlyList<string> Problems { get; }

    public JsonObject? Template(string name) => _templates.GetValueOrDefault(name);

    public static ModelMeshInputs Load(TransformContext context)
    {
        var templates = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var problems = new List<string>();
        var wanted = context.Options.TemplateNamespace;
        string? seenNamespace = null;
        foreach (var file in context.Export.ClusterFiles.Where(f => f.Role == ExportRoles.Template))
        {
            if (wanted is not null && file.Namespace != wanted)
            {
                continue;
            }

            var text = File.Exists(context.Layout.Absolute(file.Path)) ? File.ReadAllText(context.Layout.Absolute(file.Path)) : null;
            if (text is null || Hashing.Sha256Hex(text) != file.Sha256)
            {
                problems.Add($"{file.Path} is missing or changed since export; Template {file.Name} not used");
                continue;
            }

            if (Yaml.ParseSingle(text, file.Path) is JsonObject template)
            {
                templates[template.Name()] = template;
                seenNamespace ??= file.Namespace;
            }
        }

        return new ModelMeshInputs(templates, wanted ?? seenNamespace, problems);
    }

    /// <summary>Objects from an optional namespace facts file, or null when export did not record it.</summary>
    public static IReadOnlyList<JsonObject>? NamespaceFacts(WorkspaceLayout layout, string ns, string fileName)
    {
        var path = layout.Contained(Path.Combine(layout.NamespaceFacts(ns), fileName));
        if (!File.Exists(path))
        {
            return null;
        }

        var objects = new List<JsonObject>();
        foreach (var document in Yaml.ParseDocuments(File.ReadAllText(path), layout.Relative(path)))
        {
            if (document.Root is JsonObject obj && obj.Kind() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
            {
                objects.AddRange(items.OfType<JsonObject>());
            }
            else if (document.Root is JsonObject single)
            {
                objects.Add(single);
            }
        }

        return objects;
    }

    public static JsonObject? NamespaceObject(WorkspaceLayout layout, string ns)
    {
        var path = layout.Contained(Path.Combine(layout.NamespaceFacts(ns), "namespace.yaml"));
        return File.Exists(path) ? Yaml.ParseSingle(File.ReadAllText(path), layout.Relative(path)) as JsonObject : null;
    }
}
