using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Schema;

namespace OdhMigration.Simulator.Discovery;

/// <summary>
/// The definitions the OpenAPI documents publish per served kind. Custom resources publish their CRD's
/// <c>openAPIV3Schema</c> as k8s.io/apiextensions-apiserver pkg/controller/openapi/builder/builder.go does:
/// <c>metadata</c> becomes a reference to ObjectMeta, <c>apiVersion</c>/<c>kind</c> get the standard descriptions
/// when the CRD has none, and the definition carries <c>x-kubernetes-group-version-kind</c>; the v2 form drops what
/// Swagger 2.0 cannot say (<c>nullable</c>, <c>oneOf</c>/<c>anyOf</c>/<c>not</c>, as builder.go's v2 conversion does).
/// Built-in kinds (and kinds without a schema) get a minimal definition: their top-level fields only.
/// </summary>
internal static class OpenApiSchemas
{
    public const string ObjectMetaName = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private const string ApiVersionDescription = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
    private const string KindDescription = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
    private const string MetadataDescription = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    /// <summary>The definition name the API server uses: io.k8s.api.&lt;group&gt; for built-ins, the reversed group for others.</summary>
    public static string DefinitionName(ResourceKind kind) => kind.Group switch
    {
        "" => $"io.k8s.api.core.{kind.Version}.{kind.Kind}",
        "rbac.authorization.k8s.io" => $"io.k8s.api.rbac.{kind.Version}.{kind.Kind}",
        _ => $"{string.Join('.', kind.Group.Split('.').Reverse())}.{kind.Version}.{kind.Kind}",
    };

    /// <summary>The kind's definition; <paramref name="v2"/> selects Swagger 2.0 references and keywords.</summary>
    public static JsonObject Definition(ResourceKind kind, CrdSchemas crds, bool v2)
    {
        var schema = crds.Source(kind) is { } source ? (JsonObject)source.DeepClone() : Minimal(kind);
        if (v2)
        {
            StripForV2(schema);
        }

        var properties = schema["properties"] as JsonObject ?? [];
        schema["properties"] = properties;
        Describe(properties, "apiVersion", ApiVersionDescription);
        Describe(properties, "kind", KindDescription);
        properties["metadata"] = v2
            ? new JsonObject { ["$ref"] = $"#/definitions/{ObjectMetaName}", ["description"] = MetadataDescription }
            : new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/components/schemas/{ObjectMetaName}" }), ["description"] = MetadataDescription };
        schema["type"] ??= "object";
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = kind.Group, ["kind"] = kind.Kind, ["version"] = kind.Version });
        return schema;
    }

    /// <summary>ObjectMeta's commonly used fields.</summary>
    public static JsonObject ObjectMeta() => new()
    {
        ["description"] = "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["name"] = Field("string", "Name must be unique within a namespace. Cannot be updated."),
            ["generateName"] = Field("string", "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
            ["namespace"] = Field("string", "Namespace defines the space within which each name must be unique."),
            ["uid"] = Field("string", "UID is the unique in time and space value for this object. Populated by the system. Read-only."),
            ["resourceVersion"] = Field("string", "An opaque value that represents the internal version of this object. Populated by the system. Read-only."),
            ["generation"] = Field("integer", "A sequence number representing a specific generation of the desired state. Populated by the system. Read-only."),
            ["creationTimestamp"] = Field("string", "CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only."),
            ["deletionTimestamp"] = Field("string", "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. Populated by the system."),
            ["labels"] = Map("Map of string keys and values that can be used to organize and categorize (scope and select) objects."),
            ["annotations"] = Map("Annotations is an unstructured key value map stored with a resource that may be set by external tools."),
            ["finalizers"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = "Must be empty before the object is deleted from the registry." },
            ["ownerReferences"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" }, ["description"] = "List of objects depended by this object." },
            ["managedFields"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" }, ["description"] = "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow." },
        },
    };

    private static JsonObject Minimal(ResourceKind kind)
    {
        var properties = new JsonObject
        {
            ["apiVersion"] = Field("string", ApiVersionDescription),
            ["kind"] = Field("string", KindDescription),
        };
        foreach (var (name, field) in TopLevelFields(kind))
        {
            properties[name] = field;
        }

        var schema = new JsonObject { ["description"] = $"{kind.Kind} ({kind.ApiVersion}).", ["type"] = "object", ["properties"] = properties };
        if (kind.Group is not ("" or "rbac.authorization.k8s.io"))
        {
            schema["x-kubernetes-preserve-unknown-fields"] = true; // a schemaless custom resource
        }

        return schema;
    }

    private static IEnumerable<(string Name, JsonObject Field)> TopLevelFields(ResourceKind kind) => (kind.Group, kind.Plural) switch
    {
        ("", "secrets") =>
        [
            ("data", Map("Data contains the secret data, base64 encoded.")),
            ("stringData", Map("stringData allows specifying non-binary secret data in string form. It is never output when reading.")),
            ("type", Field("string", "Used to facilitate programmatic handling of secret data.")),
            ("immutable", Field("boolean", "Immutable, if set to true, ensures that data stored in the Secret cannot be updated.")),
        ],
        ("", "configmaps") =>
        [
            ("data", Map("Data contains the configuration data.")),
            ("binaryData", Map("BinaryData contains the binary data.")),
            ("immutable", Field("boolean", "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated.")),
        ],
        ("", "serviceaccounts") =>
        [
            ("secrets", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" }, ["description"] = "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use." }),
            ("imagePullSecrets", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" }, ["description"] = "ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images." }),
            ("automountServiceAccountToken", Field("boolean", "AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.")),
        ],
        ("rbac.authorization.k8s.io", "roles") =>
        [
            ("rules", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" }, ["description"] = "Rules holds all the PolicyRules for this Role." }),
        ],
        ("rbac.authorization.k8s.io", "rolebindings") =>
        [
            ("roleRef", new JsonObject { ["type"] = "object", ["description"] = "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace." }),
            ("subjects", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" }, ["description"] = "Subjects holds references to the objects the role applies to." }),
        ],
        _ =>
        [
            ("spec", new JsonObject { ["type"] = "object", ["description"] = $"The desired state of the {kind.Kind}." }),
            ("status", new JsonObject { ["type"] = "object", ["description"] = $"The observed state of the {kind.Kind}." }),
        ],
    };

    private static JsonObject Field(string type, string description) => new() { ["type"] = type, ["description"] = description };

    private static JsonObject Map(string description) => new()
    {
        ["type"] = "object",
        ["additionalProperties"] = new JsonObject { ["type"] = "string" },
        ["description"] = description,
    };

    private static void Describe(JsonObject properties, string name, string description)
    {
        if (properties[name] is not JsonObject field)
        {
            properties[name] = Field("string", description);
        }
        else if (field["description"] is null)
        {
            field["description"] = description;
        }
    }

    /// <summary>
    /// Removes the OpenAPI v3 keywords Swagger 2.0 lacks from a schema and its sub-schemas (properties, items,
    /// additionalProperties, allOf), never from property names.
    /// </summary>
    private static void StripForV2(JsonObject schema)
    {
        foreach (var keyword in new[] { "nullable", "oneOf", "anyOf", "not", "x-kubernetes-validations" })
        {
            schema.Remove(keyword);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, property) in properties)
            {
                if (property is JsonObject child)
                {
                    StripForV2(child);
                }
            }
        }

        foreach (var single in new[] { "items", "additionalProperties" })
        {
            if (schema[single] is JsonObject child)
            {
                StripForV2(child);
            }
        }

        foreach (var item in (schema["allOf"] as JsonArray ?? []).OfType<JsonObject>())
        {
            StripForV2(item);
        }
    }
}
