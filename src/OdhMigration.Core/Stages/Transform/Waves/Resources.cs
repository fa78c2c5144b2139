using System.Globalization;

namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>Resource names and amounts as capacity.json spells them (base units), and how they map to quota keys.</summary>
public static class Resources
{
    public const string Cpu = "cpu";
    public const string Memory = "memory";
    public const string Pods = "pods";
    public const string EphemeralStorage = "ephemeral-storage";
    private const string RequestsPrefix = "requests.";
    private const decimal Gi = 1024m * 1024m * 1024m;

    /// <summary>Extended resources (nvidia.com/gpu, amd.com/gpu, ...) carry a domain; the built-in ones do not.</summary>
    public static bool IsExtended(string resource) => resource.Contains('/', StringComparison.Ordinal);

    /// <summary>Scarcity rank for ordering: extended resources (GPUs) first, then memory, then CPU, then the rest.</summary>
    public static int Rank(string resource) => resource switch
    {
        _ when IsExtended(resource) => 0,
        Memory => 1,
        Cpu => 2,
        _ => 3,
    };

    /// <summary>
    /// What a set of requests counts against a ResourceQuota: requests.cpu and cpu, requests.memory and memory,
    /// requests.&lt;extended&gt;, pods. limits.* are not counted: capacity.json records requests only.
    /// </summary>
    public static Dictionary<string, decimal> QuotaUsage(IReadOnlyDictionary<string, decimal> requests)
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

        return usage;
    }

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
