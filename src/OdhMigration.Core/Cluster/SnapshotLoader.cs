using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Cluster;

/// <summary>An object read from a snapshot, with the file and line it came from.</summary>
public sealed record SnapshotObject(ResourceKind Kind, JsonObject Object, string Source, int Line);

/// <summary>
/// Reads an offline cluster: a multi-document YAML file, a <c>kind: List</c> (what <c>oc get -o yaml</c> prints),
/// or a folder of such files. CustomResourceDefinitions in the snapshot register their kinds.
/// </summary>
public static class SnapshotLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IReadOnlyList<SnapshotObject> Load(string path, IList<ResourceKind>? extraKinds = null)
    {
        var files = ListFiles(path);
        var documents = new List<YamlDocument>();
        foreach (var file in files)
        {
            documents.AddRange(ParseFile(File.ReadAllText(file), file));
        }

        return FromDocuments(documents, extraKinds);
    }

    public static IReadOnlyList<SnapshotObject> FromDocuments(IEnumerable<YamlDocument> documents, IList<ResourceKind>? extraKinds = null)
    {
        var flat = new List<(JsonObject Obj, string Source, int Line)>();
        foreach (var doc in documents)
        {
            Flatten(doc.Root, doc.Source, doc.Line, flat);
        }

        var kinds = new List<ResourceKind>(extraKinds ?? []);
        foreach (var (obj, _, _) in flat)
        {
            if (obj.Kind() == "CustomResourceDefinition" && CrdKind(obj) is { } registered)
            {
                kinds.Add(registered);
            }
        }

        var result = new List<SnapshotObject>();
        foreach (var (obj, source, line) in flat)
        {
            if (obj.Kind() == "CustomResourceDefinition")
            {
                continue;
            }

            var kind = Kinds.Find(obj.ApiVersion(), obj.Kind())
                ?? kinds.FirstOrDefault(k => k.ApiVersion == obj.ApiVersion() && k.Kind == obj.Kind())
                ?? throw new ManifestFormatException($"{source}: line {line}: unknown kind '{obj.Kind()}' (apiVersion '{obj.ApiVersion()}'); add its CustomResourceDefinition to the snapshot or remove the object");
            if (obj.Name().Length == 0)
            {
                throw new ManifestFormatException($"{source}: line {line}: {kind.Kind} without metadata.name");
            }

            if (kind.Namespaced && string.IsNullOrEmpty(obj.Namespace()))
            {
                throw new ManifestFormatException($"{source}: line {line}: {kind.Kind} '{obj.Name()}' has no metadata.namespace");
            }

            result.Add(new SnapshotObject(kind, obj, source, line));
        }

        return result;
    }

    /// <summary>
    /// JSON exports (<c>oc get -o json</c>) are parsed with System.Text.Json, which is two orders of magnitude faster
    /// than the YAML parser on large snapshots; anything that is not valid JSON goes through YAML, which also
    /// reports the error with a line number.
    /// </summary>
    private static IReadOnlyList<YamlDocument> ParseFile(string text, string file)
    {
        if (text.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            try
            {
                return [new YamlDocument(JsonNode.Parse(text), file, 1)];
            }
            catch (System.Text.Json.JsonException)
            {
                // not JSON after all: let the YAML parser read it (JSON is a subset of YAML) and report errors
            }
        }

        return Yaml.ParseDocuments(text, file);
    }

    public static IReadOnlyList<string> ListFiles(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        throw new ManifestFormatException($"{path}: snapshot file or folder not found");
    }

    private static void Flatten(JsonNode? node, string source, int line, List<(JsonObject, string, int)> into)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject obj)
        {
            throw new ManifestFormatException($"{source}: line {line}: expected a Kubernetes object (a mapping), found {node.GetValueKind()}");
        }

        if (obj.Kind() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            foreach (var item in items)
            {
                if (item is JsonObject itemObj && itemObj.Kind() is null && kind.Length > 4)
                {
                    // Typed lists (InferenceServiceList) may omit kind/apiVersion on items.
                    itemObj["kind"] = kind[..^4];
                    itemObj["apiVersion"] = obj.ApiVersion();
                }

                Flatten(item, source, line, into);
            }

            return;
        }

        if (obj.Kind() is null || obj.ApiVersion() is null)
        {
            throw new ManifestFormatException($"{source}: line {line}: object without apiVersion/kind");
        }

        into.Add((obj, source, line));
    }

    private static ResourceKind? CrdKind(JsonObject crd)
    {
        var spec = crd["spec"];
        var group = spec.Str("group");
        var names = spec?["names"];
        var version = spec?["versions"] is JsonArray versions
            ? versions.OfType<JsonObject>().FirstOrDefault(v => v["storage"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)?.Str("name")
              ?? versions.OfType<JsonObject>().FirstOrDefault()?.Str("name")
            : spec.Str("version");
        if (group is null || version is null || names.Str("kind") is not { } kind || names.Str("plural") is not { } plural)
        {
            return null;
        }

        var shortNames = names?["shortNames"] is JsonArray sn ? sn.Select(s => s?.GetValue<string>() ?? "").Where(s => s.Length > 0).ToList() : [];
        return new ResourceKind(group, version, kind, plural, spec.Str("scope") != "Cluster", shortNames);
    }
}
