using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Admission;

/// <summary>
/// KServe's validating webhook for ServingRuntimes ("servingruntime.kserve-webhook-server.validator", CREATE and
/// UPDATE of servingruntimes, not the status subresource) as the ODH 2.x branch runs it: opendatahub-io/kserve
/// stable-2.x pkg/webhook/admission/servingruntime/servingruntime_webhook.go (ServingRuntimeValidator.Handle). A
/// disabled runtime is always allowed. For every runtime already in the namespace (listed in name order; KServe's
/// cache gives no order) the new runtime's autoSelect formats must not give one format two priorities, and must not
/// share a priority with another enabled runtime of the same multiModel flag and a common protocol version for the
/// same format (name case-insensitive) and version. So, as in KServe, the first runtime of a namespace gets no
/// priority checks at all. Then the multi-node rules (<see cref="ServingRuntimeMultiNode"/>). ClusterServingRuntimes
/// have no webhook on this branch (their handler is commented out in cmd/manager/main.go and the ODH overlay
/// deletes the webhook configuration with the CRD), so they are not checked here either.
/// </summary>
internal sealed class ServingRuntimeWebhook(Func<string, IReadOnlyList<JsonObject>> runtimesIn) : IAdmissionCheck
{
    public const string Name = "servingruntime.kserve-webhook-server.validator";

    public void Admit(ResourceKind kind, JsonObject? previous, JsonObject candidate, WriteContext context)
    {
        if (kind != Kinds.ServingRuntime || context.IsStatus || Validate(candidate, runtimesIn(candidate.Namespace() ?? string.Empty)) is not { } message)
        {
            return;
        }

        throw new ApiException(403, "Forbidden", $"admission webhook \"{Name}\" denied the request: {message}");
    }

    /// <summary>Handle's checks in its order; the first failure is the message (null: allowed).</summary>
    internal static string? Validate(JsonObject runtime, IReadOnlyList<JsonObject> existing)
    {
        var spec = runtime["spec"] as JsonObject ?? [];
        if (IsTrue(spec["disabled"]))
        {
            return null;
        }

        var name = runtime.Name();
        JsonObject existingSpec = [];
        foreach (var other in existing.OrderBy(r => r.Name(), StringComparer.Ordinal))
        {
            if (DifferentPrioritiesForOneFormat(spec) is { } format)
            {
                return $"different priorities assigned for the model format {format} under the servingruntime {name}";
            }

            var otherSpec = other["spec"] as JsonObject ?? [];
            if (other.Name() != name && SamePriorityAsOther(spec, otherSpec) is { } shared)
            {
                return $"same priority assigned for the model format {shared} in the servingruntimes {other.Name()} and {name} in namespace {runtime.Namespace()}";
            }

            if (other.Name() == name)
            {
                existingSpec = otherSpec;
            }
        }

        return ServingRuntimeMultiNode.Validate(spec, existingSpec) is { } multiNode
            ? $"the {runtime["kind"]?.ToString() ?? "ServingRuntime"} {name} is invalid: {multiNode}"
            : null;
    }

    /// <summary>validateModelFormatPrioritySame: autoSelect entries of one name (exact) must agree on a priority.</summary>
    private static string? DifferentPrioritiesForOneFormat(JsonObject spec)
    {
        var priorities = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var format in Formats(spec).Where(f => IsTrue(f["autoSelect"])))
        {
            var formatName = format["name"]?.ToString() ?? string.Empty;
            var priority = Number(format["priority"]);
            if (!priorities.TryGetValue(formatName, out var first))
            {
                priorities[formatName] = priority;
            }
            else if (first is not null && priority is not null && first != priority)
            {
                return formatName;
            }
        }

        return null;
    }

    /// <summary>validateServingRuntimePriority: the same priority for the same autoSelect format and version as another runtime.</summary>
    private static string? SamePriorityAsOther(JsonObject spec, JsonObject otherSpec)
    {
        if (IsTrue(spec["multiModel"]) != IsTrue(otherSpec["multiModel"]) || IsTrue(otherSpec["disabled"]))
        {
            return null;
        }

        var protocols = Strings(spec["protocolVersions"]);
        if (!Strings(otherSpec["protocolVersions"]).Any(protocols.Contains))
        {
            return null; // no protocol in common (or none listed): KServe does not compare priorities
        }

        foreach (var theirs in Formats(otherSpec).Where(f => IsTrue(f["autoSelect"])))
        {
            foreach (var ours in Formats(spec).Where(f => IsTrue(f["autoSelect"])))
            {
                if (SameFormat(theirs, ours) && Number(theirs["priority"]) is { } p && Number(ours["priority"]) == p)
                {
                    return ours["name"]?.ToString();
                }
            }
        }

        return null;
    }

    /// <summary>areSupportedModelFormatsEqual: names equal ignoring case, versions both absent or equal.</summary>
    private static bool SameFormat(JsonObject a, JsonObject b) =>
        string.Equals(a["name"]?.ToString(), b["name"]?.ToString(), StringComparison.OrdinalIgnoreCase)
        && a["version"]?.ToString() == b["version"]?.ToString();

    private static IEnumerable<JsonObject> Formats(JsonObject spec) =>
        (spec["supportedModelFormats"] as JsonArray ?? []).OfType<JsonObject>();

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n?.ToString()).OfType<string>().ToList();

    internal static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    internal static long? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), out var n) ? n : null;
}
