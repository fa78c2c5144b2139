using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// Fills missing fields from the schema's <c>default</c>s, top-down, as the API server does when it decodes a
/// request or reads a stored object (k8s.io/apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go):
/// a default applies where the field is absent (nulls of non-nullable fields were pruned first) and is then
/// defaulted itself.
/// </summary>
public static class SchemaDefaulter
{
    public static void DefaultRoot(JsonObject obj, StructuralSchema schema) => DefaultObject(obj, schema, isResource: true);

    private static void Default(JsonNode? node, StructuralSchema schema)
    {
        switch (node)
        {
            case JsonObject obj:
                DefaultObject(obj, schema, isResource: false);
                break;
            case JsonArray array when schema.Items is { } items:
                foreach (var item in array)
                {
                    Default(item, items);
                }

                break;
        }
    }

    private static void DefaultObject(JsonObject obj, StructuralSchema schema, bool isResource)
    {
        if (schema.Properties is { } properties)
        {
            foreach (var (key, child) in properties)
            {
                if (child.Default is { } value && !obj.ContainsKey(key) && !(isResource && key is "metadata" or "apiVersion" or "kind"))
                {
                    obj[key] = value.DeepClone();
                }
            }
        }

        foreach (var (key, value) in obj)
        {
            if (isResource && key is "metadata" or "apiVersion" or "kind")
            {
                continue;
            }

            var child = schema.Properties is { } props && props.TryGetValue(key, out var declared) ? declared : schema.AdditionalProperties;
            if (child is not null)
            {
                Default(value, child);
            }
        }
    }
}
