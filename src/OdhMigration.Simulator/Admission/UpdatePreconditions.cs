using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Admission;

/// <summary>
/// What a PUT must carry before the API server compares anything (k8s.io/apiserver pkg/registry/generic/registry/
/// store.go Update; pkg/registry/rest/update.go defaultUpdatedObjectInfo.Preconditions): a uid in the body is a
/// precondition (409 when it names another object), and a custom resource, whose strategy does not allow
/// unconditional updates, needs metadata.resourceVersion (422).
/// </summary>
internal static class UpdatePreconditions
{
    public static void Check(ResourceKind kind, JsonObject current, JsonObject candidate)
    {
        var name = current.Name();
        if (candidate.At("metadata", "uid")?.ToString() is { Length: > 0 } uid && uid != current.Uid())
        {
            throw ApiException.Conflict(kind, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid()}");
        }

        if (KindRegistry.IsCustomResource(kind) && candidate.At("metadata", "resourceVersion")?.ToString() is null or "")
        {
            // The qualified kind of this error is the resource (store.go: GroupKind{Group, Kind: Resource}).
            var causes = new JsonArray((JsonNode)new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = "Invalid value: 0x0: must be specified for an update", ["field"] = "metadata.resourceVersion" });
            throw new ApiException(
                422,
                "Invalid",
                $"{kind.GroupResource} \"{name}\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
                new JsonObject { ["name"] = name, ["group"] = kind.Group, ["kind"] = kind.Plural, ["causes"] = causes });
        }
    }
}
