using System.Globalization;

namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>Resource names and amounts as capacity.json spells them (base units), and how they map to quota keys.</summary>
public static class Resources
{
    public const string Cpu = "cpu";
    public const string Memory = "memory";
    public const string Pods = "pods";
    public const string EphemeralStorage = "ephemeral-storage";
    public const string RequestsPrefix = "requests.";
    public const string LimitsPrefix = "limits.";
    private const decimal Gi = 1024m * 1024m * 1024m;

    /// <summary>Extended resources (nvidia.com/gpu, amd.com/gpu, ...) carry a domain; the built-in ones do not.</summary>
    public static bool IsExtended(string resource) => resource.Contains('/', StringComparison.Ordinal);

    /// <summary>Scarcity rank for ordering: extended resources (GPUs) first, then memory, then CPU, then the rest; quota keys by the resource they count.</summary>
    public static int Rank(string resource) => Unprefixed(resource) switch
    {
        var r when IsExtended(r) => 0,
        Memory => 1,
        Cpu => 2,
        _ => 3,
    };

    /// <summary>
    /// What a set of requests and limits counts against a ResourceQuota, as the quota's pod evaluator counts it
    /// (kubernetes pkg/quota/v1/evaluator/core/pods.go, podComputeUsageHelper): requests.cpu and cpu, requests.memory
    /// and memory, requests.ephemeral-storage and ephemeral-storage, requests.&lt;extended&gt;, pods; with limits also
    /// limits.cpu, limits.memory and limits.ephemeral-storage. Extended resources count only as requests.&lt;name&gt;:
    /// Kubernetes charges no limits.&lt;extended&gt; key, so such a key in a quota is never used up by a pod.
    /// </summary>
    public static Dictionary<string, decimal> QuotaUsage(IReadOnlyDictionary<string, decimal> requests, IReadOnlyDictionary<string, decimal>? limits = null)
    {
        var usage = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (resource, amount) in requests)
        {
            if (resource == Pods)
            {
                Add(usage, Pods, amount);
                continue;
            }

            Add(usage, RequestsPrefix + resource, amount);
            if (resource is Cpu or Memory or EphemeralStorage)
            {
                Add(usage, resource, amount);
            }
        }

        foreach (var (resource, amount) in limits ?? new Dictionary<string, decimal>())
        {
            if (resource is Cpu or Memory or EphemeralStorage)
            {
                Add(usage, LimitsPrefix + resource, amount);
            }
        }

        return usage;
    }

    /// <summary>The resource a quota key counts: requests.cpu and limits.cpu are cpu.</summary>
    public static string Unprefixed(string key) =>
        key.StartsWith(RequestsPrefix, StringComparison.Ordinal) ? key[RequestsPrefix.Length..]
        : key.StartsWith(LimitsPrefix, StringComparison.Ordinal) ? key[LimitsPrefix.Length..]
        : key;

    public static void Add(Dictionary<string, decimal> into, string resource, decimal amount) =>
        into[resource] = into.GetValueOrDefault(resource) + amount;

    public static Dictionary<string, decimal> Sum(IEnumerable<IReadOnlyDictionary<string, decimal>> amounts)
    {
        var sum = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var amount in amounts)
        {
            foreach (var (resource, value) in amount)
            {
                Add(sum, resource, value);
            }
        }

        return sum;
    }

    /// <summary>An amount for a human: memory-like in Gi, the rest as a plain number.</summary>
    public static string Format(string resource, decimal amount)
    {
        var isBytes = resource.EndsWith(Memory, StringComparison.Ordinal) || resource.EndsWith(EphemeralStorage, StringComparison.Ordinal);
        return isBytes
            ? Math.Round(amount / Gi, 2).ToString("0.##", CultureInfo.InvariantCulture) + "Gi"
            : Math.Round(amount, 3).ToString("0.###", CultureInfo.InvariantCulture);
    }
}
