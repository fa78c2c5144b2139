using System.Text.Json.Nodes;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// A container's resources (requests and limits) in base units, parsed where they are written so an error names that
/// field. KServe merges the ISVC's container over the runtime's key by key (<see cref="Over"/>); Kubernetes defaults
/// a request that is absent to its limit (<see cref="Requests"/>).
/// </summary>
public sealed record Requirements(IReadOnlyDictionary<string, decimal> ExplicitRequests, IReadOnlyDictionary<string, decimal> Limits)
{
    public static readonly Requirements None = new(new Dictionary<string, decimal>(), new Dictionary<string, decimal>());

    /// <summary>Parses a <c>resources</c> object; <paramref name="where"/> names it, e.g. "InferenceService ns/x: spec.predictor.model.resources".</summary>
    public static Requirements Parse(JsonNode? resources, string where) =>
        resources is JsonObject o
            ? new(ParseMap(o["requests"], $"{where}.requests"), ParseMap(o["limits"], $"{where}.limits"))
            : None;

    /// <summary>This container's values win, the base's other keys stay (a strategic merge of two maps).</summary>
    public Requirements Over(Requirements baseline) => new(Overlay(baseline.ExplicitRequests, ExplicitRequests), Overlay(baseline.Limits, Limits));

    /// <summary>What the scheduler counts: each request, or the limit where a resource has a limit and no request.</summary>
    public Dictionary<string, decimal> Requests()
    {
        var requests = new Dictionary<string, decimal>(ExplicitRequests, StringComparer.Ordinal);
        foreach (var (name, limit) in Limits)
        {
            requests.TryAdd(name, limit);
        }

        return requests;
    }

    public bool IsEmpty => ExplicitRequests.Count == 0 && Limits.Count == 0;

    /// <summary>A map of resource name to quantity (requests, limits, a node's allocatable, a quota's hard) in base units.</summary>
    public static Dictionary<string, decimal> ParseMap(JsonNode? map, string where)
    {
        var amounts = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (map is JsonObject o)
        {
            foreach (var (name, value) in o)
            {
                amounts[name] = Quantities.Parse(value, $"{where}.{name}");
            }
        }

        return amounts;
    }

    private static Dictionary<string, decimal> Overlay(IReadOnlyDictionary<string, decimal> baseline, IReadOnlyDictionary<string, decimal> top)
    {
        var merged = new Dictionary<string, decimal>(baseline, StringComparer.Ordinal);
        foreach (var (name, value) in top)
        {
            merged[name] = value;
        }

        return merged;
    }
}
