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

    public static IReadOnlyList<SnapshotObject> Load(string path, IList<ResourceKind>? extraKinds = null) =>
        FromDocuments(ReadDocuments(path), extraKinds);

    public static IReadOnlyList<SnapshotObject> FromDocuments(IEnumerable<YamlDocument> documents, IList<ResourceKind>? extraKinds = null) =>
        Resolve(documents, extraKinds, obj => obj).Select(r => new SnapshotObject(r.Kind, r.Value, r.Source, r.Line)).ToList();

    /// <summary>
    /// Reads the snapshot one document at a time and keeps each object only in the form <paramref name="keep"/>
    /// makes of it, so a large snapshot never exists as a whole tree (the offline cluster keeps compact JSON).
    /// Kinds are resolved at the end, because a CustomResourceDefinition may follow the objects of its kind.
    /// </summary>
    public static IReadOnlyList<(ResourceKind Kind, T Value, string Source, int Line)> Resolve<T>(IEnumerable<YamlDocument> documents, IList<ResourceKind>? extraKinds, Func<JsonObject, T> keep)
    {
        var kept = new List<(string? ApiVersion, string Kind, string Name, string? Namespace, T Value, string Source, int Line)>();
        var seen = new Dictionary<(string Group, string Kind, string? Namespace, string Name), (string Source, int Line)>();
        var kinds = new List<ResourceKind>(extraKinds ?? []);
        foreach (var doc in documents)
        {
            var flat = new List<(JsonObject Obj, string Source, int Line)>();
            Flatten(doc.Root, doc.Source, doc.Line, flat);
            foreach (var (obj, source, line) in flat)
            {
                if (obj.Kind() == "CustomResourceDefinition")
                {
                    if (CrdKind(obj) is { } registered)
                    {
                        kinds.Add(registered);
                    }

                    continue;
                }

                var identity = (SnapshotChecks.Group(obj.ApiVersion()), obj.Kind()!, obj.Namespace(), obj.Name());
                if (identity.Item4.Length > 0 && !seen.TryAdd(identity, (source, line)))
                {
                    var first = seen[identity];
                    throw new ManifestFormatException($"{source}: line {line}: {obj.Kind()} {(identity.Item3 is { } dupNs ? dupNs + "/" : "")}{identity.Item4} appears twice in the snapshot (also {first.Source}: line {first.Line}); an API server holds one object per kind, namespace and name, remove one of them");
                }

                kept.Add((obj.ApiVersion(), obj.Kind()!, obj.Name(), obj.Namespace(), keep(obj), source, line));
            }
        }

        var result = new List<(ResourceKind, T, string, int)>(kept.Count);
        foreach (var (apiVersion, kindName, name, ns, value, source, line) in kept)
        {
            var kind = Kinds.Find(apiVersion, kindName)
                ?? kinds.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kindName)
                ?? throw new ManifestFormatException($"{source}: line {line}: unknown kind '{kindName}' (apiVersion '{apiVersion}'); add its CustomResourceDefinition to the snapshot or remove the object");
            if (name.Length == 0)
            {
                throw new ManifestFormatException($"{source}: line {line}: {kind.Kind} without metadata.name");
            }

            if (kind.Namespaced && string.IsNullOrEmpty(ns))
            {
                throw new ManifestFormatException($"{source}: line {line}: {kind.Kind} '{name}' has no metadata.namespace");
            }

            result.Add((kind, value, source, line));
        }

        return result;
    }

    /// <summary>Every document of the snapshot's files, read lazily; YAML is streamed, never held as text and as a tree at once.</summary>
    public static IEnumerable<YamlDocument> ReadDocuments(string path)
    {
        foreach (var file in ListFiles(path))
        {
            if (!File.Exists(file))
            {
                throw new ManifestFormatException($"{file}: snapshot file not found");
            }

            if (Path.GetExtension(file).Equals(".json", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var doc in ParseFile(File.ReadAllText(file), file))
                {
                    yield return doc;
                }

                continue;
            }

            using var reader = new StreamReader(file);
            using var documents = StreamingYamlReader.ReadDocuments(reader, file).GetEnumerator();
            while (true)
            {
                try
                {
                    if (!documents.MoveNext())
                    {
                        break;
                    }
                }
                catch (ManifestFormatException ex) when (!ex.Message.StartsWith($"{file}: line ", StringComparison.Ordinal))
                {
                    // A message without a line (an event sequence the streaming reader did not expect) is replaced
                    // by the tree parser's, which names the line; one that names it already (a limit) stands, so a
                    // giant file is not read a second time just to say the same.
                    Yaml.ParseDocuments(File.ReadAllText(file), file);
                    throw;
                }

                yield return documents.Current;
            }
        }
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
                var root = JsonNode.Parse(text, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = YamlLimits.MaxDepth });
                if (!SnapshotChecks.HasOversizedString(root))
                {
                    return [new YamlDocument(root, file, 1)];
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // not JSON after all, or nested too deep: let the YAML parser read it (JSON is a subset of YAML),
                // which reports errors and limits with a line number
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

        if (SnapshotChecks.TypeProblem(obj) is { } problem)
        {
            var named = obj.Name() is { Length: > 0 } objectName ? $"{obj.Kind()} '{objectName}'" : obj.Kind();
            throw new ManifestFormatException($"{source}: line {line}: {named}: {problem}");
        }

        into.Add((obj, source, line));
    }

    private static ResourceKind? CrdKind(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var group = spec.Str("group");
        var names = spec?["names"] as JsonObject;
        var version = spec?["versions"] is JsonArray versions
            ? versions.OfType<JsonObject>().FirstOrDefault(v => v["storage"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)?.Str("name")
              ?? versions.OfType<JsonObject>().FirstOrDefault()?.Str("name")
            : spec.Str("version");
        if (group is null || version is null || names.Str("kind") is not { } kind || names.Str("plural") is not { } plural)
        {
            return null;
        }

        var shortNames = names?["shortNames"] is JsonArray sn ? sn.Select(s => s is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : "").Where(s => s.Length > 0).ToList() : [];
        return new ResourceKind(group, version, kind, plural, spec.Str("scope") != "Cluster", shortNames);
    }
}
