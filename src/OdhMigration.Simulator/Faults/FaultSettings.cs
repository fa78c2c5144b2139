using System.Globalization;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Faults;

/// <summary>
/// Fault injection settings. <see cref="Rate"/> is the probability (0..1) that an eligible request fails with one
/// of <see cref="Kinds"/> ("429", "500", "503", "drop", "processed-then-dropped"); empty verb/resource lists mean all.
/// "drop" aborts the connection before the request is processed, "processed-then-dropped" after it was (the answer is
/// lost, the change is made). Without <see cref="Kinds"/> the four classic kinds are drawn; processed-then-dropped is
/// drawn only when named, so existing settings keep their meaning. The random sequence is seeded, so the same seed and
/// the same request order give the same faults.
/// </summary>
public sealed record FaultSettings(
    double Rate = 0,
    IReadOnlyList<string>? Kinds = null,
    IReadOnlyList<string>? Verbs = null,
    IReadOnlyList<string>? Resources = null,
    int LatencyMs = 0,
    int Seed = 0,
    int RetryAfterSeconds = 1)
{
    public const string ProcessedThenDroppedKind = "processed-then-dropped";

    /// <summary>Drawn when no kinds are given.</summary>
    public static readonly IReadOnlyList<string> DefaultKinds = ["429", "500", "503", "drop"];

    /// <summary>Every kind that may be named.</summary>
    public static readonly IReadOnlyList<string> AllKinds = [.. DefaultKinds, ProcessedThenDroppedKind];

    public static FaultSettings None { get; } = new();

    public IReadOnlyList<string> EffectiveKinds => Kinds is { Count: > 0 } k ? k : DefaultKinds;

    /// <summary>Reads the admin endpoint body; absent fields keep their current values.</summary>
    public static FaultSettings FromJson(JsonNode? body, FaultSettings current)
    {
        if (body is not JsonObject o)
        {
            throw new FormatException("fault settings must be a JSON object");
        }

        var result = current with
        {
            Rate = o["rate"] is { } r ? r.GetValue<double>() : current.Rate,
            Kinds = o.ContainsKey("kinds") ? Strings(o["kinds"]) : current.Kinds,
            Verbs = o.ContainsKey("verbs") ? Strings(o["verbs"]) : current.Verbs,
            Resources = o.ContainsKey("resources") ? Strings(o["resources"]) : current.Resources,
            LatencyMs = o["latencyMs"] is { } l ? l.GetValue<int>() : current.LatencyMs,
            Seed = o["seed"] is { } s ? s.GetValue<int>() : current.Seed,
            RetryAfterSeconds = o["retryAfterSeconds"] is { } ra ? ra.GetValue<int>() : current.RetryAfterSeconds,
        };
        result.Validate();
        return result;
    }

    public void Validate()
    {
        if (Rate is < 0 or > 1 || double.IsNaN(Rate))
        {
            throw new FormatException($"fault rate {Rate.ToString(CultureInfo.InvariantCulture)} is not within 0..1");
        }

        if (LatencyMs < 0)
        {
            throw new FormatException("latencyMs must not be negative");
        }

        foreach (var kind in EffectiveKinds)
        {
            if (!AllKinds.Contains(kind))
            {
                throw new FormatException($"unknown fault kind '{kind}' (use {string.Join(", ", AllKinds)})");
            }
        }
    }

    public JsonObject ToJson() => new()
    {
        ["rate"] = Rate,
        ["kinds"] = new JsonArray([.. EffectiveKinds.Select(k => (JsonNode)k)]),
        ["verbs"] = new JsonArray([.. (Verbs ?? []).Select(k => (JsonNode)k)]),
        ["resources"] = new JsonArray([.. (Resources ?? []).Select(k => (JsonNode)k)]),
        ["latencyMs"] = LatencyMs,
        ["seed"] = Seed,
        ["retryAfterSeconds"] = RetryAfterSeconds,
    };

    private static List<string>? Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x?.ToString() ?? string.Empty).Where(x => x.Length > 0).ToList() : null;
}
