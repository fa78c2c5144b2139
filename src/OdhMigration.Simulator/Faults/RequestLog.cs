using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Faults;

/// <summary>One API request as the simulator saw it.</summary>
public sealed record RequestRecord(string Method, string Verb, string Resource, string? Namespace, string Path, string Query, string? ContentType, int Status, string? Fault);

/// <summary>
/// Counts API requests per "verb resource" and keeps the most recent ones (bounded), so tests can assert how a
/// tool talked to the cluster (e.g. that kubectl --chunk-size used limit/continue).
/// </summary>
public sealed class RequestLog(int capacity = 10_000)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Queue<RequestRecord> _recent = new();

    public void Add(RequestRecord record)
    {
        lock (_gate)
        {
            var key = $"{record.Verb} {record.Resource}";
            _counters[key] = _counters.GetValueOrDefault(key) + 1;
            _recent.Enqueue(record);
            while (_recent.Count > capacity)
            {
                _recent.Dequeue();
            }
        }
    }

    public IReadOnlyList<RequestRecord> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _recent];
            }
        }
    }

    public IReadOnlyDictionary<string, long> Counters
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, long>(_counters, StringComparer.Ordinal);
            }
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _counters.Clear();
            _recent.Clear();
        }
    }

    public JsonObject ToJson()
    {
        lock (_gate)
        {
            var counters = new JsonObject();
            foreach (var (key, value) in _counters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                counters[key] = value;
            }

            var requests = new JsonArray();
            foreach (var r in _recent)
            {
                requests.Add((JsonNode)new JsonObject
                {
                    ["method"] = r.Method,
                    ["verb"] = r.Verb,
                    ["resource"] = r.Resource,
                    ["namespace"] = r.Namespace,
                    ["path"] = r.Path,
                    ["query"] = r.Query,
                    ["contentType"] = r.ContentType,
                    ["status"] = r.Status,
                    ["fault"] = r.Fault,
                });
            }

            return new JsonObject { ["total"] = _counters.Values.Sum(), ["counters"] = counters, ["requests"] = requests };
        }
    }
}
