using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// One of tekton/rbac's files, embedded at build time so the file stays the single source: its documents are
/// written for example namespaces, and <see cref="Instantiate"/> moves them to real ones. Only whole values are
/// replaced (a namespace, a resourceNames entry, a name that ends in "-&lt;example&gt;"), never parts of other words,
/// which is what the hand-run <c>sed</c> of earlier instructions could not promise.
/// </summary>
public static class RbacTemplate
{
    private const string TemplatePrefix = "odh-migration-";

    /// <param name="sharedLabelExcluded">A label left off documents that no replacement changed (the per-namespace label).</param>
    /// <param name="resourceName">The logical name the file is embedded under (its file name).</param>
    /// <param name="replacements">Example namespace → real namespace, longest first where one is a prefix of another.</param>
    public static IReadOnlyList<JsonObject> Instantiate(
        string resourceName,
        IReadOnlyList<(string Example, string Actual)> replacements,
        string pipelinesNamespace,
        string accountPrefix,
        IReadOnlyDictionary<string, string> labels,
        string? sharedLabelExcluded = null)
    {
        var result = new List<JsonObject>();
        foreach (var document in Yaml.ParseDocuments(Read(resourceName), resourceName))
        {
            if (document.Root is not JsonObject template)
            {
                continue;
            }

            var copy = template.DeepCopy().AsObject();
            // A document that names no example namespace is shared by every namespace (a ClusterRole, say): it must
            // not carry one namespace's label, which the next namespace's setup would overwrite.
            var shared = !Replace(copy, replacements);
            var metadata = copy["metadata"]!.AsObject();
            var labelObject = new JsonObject();
            foreach (var (key, value) in labels.Where(l => !shared || l.Key != sharedLabelExcluded))
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

    /// <returns>Whether any value named an example namespace.</returns>
    private static bool Replace(JsonNode node, IReadOnlyList<(string Example, string Actual)> replacements)
    {
        var any = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        var replaced = Replaced(text, replacements);
                        any |= replaced is not null;
                        obj[key] = replaced ?? text;
                    }
                    else if (obj[key] is { } child)
                    {
                        any |= Replace(child, replacements);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        var replaced = Replaced(text, replacements);
                        any |= replaced is not null;
                        array[i] = replaced ?? text;
                    }
                    else if (array[i] is { } child)
                    {
                        any |= Replace(child, replacements);
                    }
                }

                break;
        }

        return any;
    }

    /// <returns>The value moved to the real namespace, or null when it names no example.</returns>
    private static string? Replaced(string text, IReadOnlyList<(string Example, string Actual)> replacements)
    {
        foreach (var (example, actual) in replacements)
        {
            if (text == example)
            {
                return actual;
            }

            if (text.EndsWith("-" + example, StringComparison.Ordinal))
            {
                return PipelineRunBuilder.Bounded(text[..^example.Length] + actual, 253);
            }
        }

        return null;
    }

    private static string Read(string resourceName)
    {
        using var stream = typeof(RbacTemplate).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"{resourceName} is not embedded in {typeof(RbacTemplate).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
