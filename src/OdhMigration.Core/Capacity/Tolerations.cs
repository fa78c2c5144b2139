namespace OdhMigration.Core.Capacity;

/// <summary>
/// Taints and tolerations as capacity.json writes them (a taint "key[=value]:effect", a toleration "key" for operator
/// Exists, "key=value" for Equal, "*" for an empty key with Exists, each with ":effect" when it names one), matched as
/// kube-scheduler's TaintToleration filter matches them (k8s.io/component-helpers/scheduling/corev1
/// FindMatchingUntoleratedTaint over the NoSchedule/NoExecute taints, with k8s.io/api/core/v1 Toleration.ToleratesTaint):
/// an empty effect matches every effect, an empty key (with Exists) every key, Exists every value, Equal the same value.
/// </summary>
public static class Tolerations
{
    /// <summary>The first taint none of <paramref name="tolerations"/> tolerates, or null when every taint is tolerated.</summary>
    public static string? FirstUntolerated(IEnumerable<string> taints, IReadOnlyList<string> tolerations) =>
        taints.FirstOrDefault(taint => !tolerations.Any(t => Tolerates(t, taint)));

    public static bool Tolerates(string toleration, string taint)
    {
        var (taintKey, taintValue, taintEffect) = Split(taint);
        var (key, value, effect) = Split(toleration);
        if (effect.Length > 0 && effect != taintEffect)
        {
            return false;
        }

        if (key is not ("*" or "") && key != taintKey)
        {
            return false;
        }

        // No "=" is operator Exists (every value); "key=value" is Equal.
        return value is null || value == (taintValue ?? "");
    }

    /// <summary>"key[=value][:effect]" into its parts; value null when there is no "=".</summary>
    private static (string Key, string? Value, string Effect) Split(string text)
    {
        // Keys and values are label-like (no ':' or '='), so the last ':' starts the effect and the first '=' the value.
        var colon = text.LastIndexOf(':');
        var effect = colon >= 0 ? text[(colon + 1)..] : "";
        var rest = colon >= 0 ? text[..colon] : text;
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        return equals >= 0 ? (rest[..equals], rest[(equals + 1)..], effect) : (rest, null, effect);
    }
}
