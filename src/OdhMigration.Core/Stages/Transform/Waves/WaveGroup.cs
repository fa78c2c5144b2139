namespace OdhMigration.Core.Stages.Transform.Waves;

/// <summary>InferenceServices that must share a wave: those on one runtime in one namespace (the runtime is migrated once for all of them).</summary>
internal sealed record WaveGroup(List<WaveCandidate> Items, int FirstIndex)
{
    public Dictionary<string, decimal> Requests() => Resources.Sum(Items.Select(i => i.Requests()));

    public string Describe() => Items.Count == 1 ? Items[0].Key : $"{string.Join(", ", Items.Select(i => i.Key))} (sharing runtime {Items[0].Runtime})";

    /// <summary>Groups in plan order: one per namespace and runtime, one per ISVC without a runtime.</summary>
    public static List<WaveGroup> From(IReadOnlyList<WaveCandidate> items)
    {
        var groups = new List<WaveGroup>();
        var byRuntime = new Dictionary<(string, string), WaveGroup>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Runtime is { } runtime && byRuntime.TryGetValue((item.Namespace, runtime), out var group))
            {
                group.Items.Add(item);
                continue;
            }

            group = new WaveGroup([item], i);
            groups.Add(group);
            if (item.Runtime is { } name)
            {
                byRuntime[(item.Namespace, name)] = group;
            }
        }

        return groups;
    }

    /// <summary>Groups in the order waves are filled (see <see cref="WaveOrder"/>).</summary>
    public static List<WaveGroup> Ordered(IReadOnlyList<WaveCandidate> items, WaveOrder order)
    {
        var groups = From(items);
        return order.Kind switch
        {
            WaveOrder.Plan => groups,
            WaveOrder.Explicit => ByList(groups, order.Names),
            _ => [.. groups.OrderByDescending(g => g, Comparer<WaveGroup>.Create(CompareSize)).ThenBy(g => g.FirstIndex)],
        };
    }

    private static List<WaveGroup> ByList(List<WaveGroup> groups, IReadOnlyList<string> names)
    {
        var position = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        return [.. groups.OrderBy(g => g.Items.Min(i => position.GetValueOrDefault(i.Key, int.MaxValue))).ThenBy(g => g.FirstIndex)];
    }

    /// <summary>Scarcest first: the extended resources (GPUs) together, then memory, then CPU.</summary>
    private static int CompareSize(WaveGroup a, WaveGroup b)
    {
        var (x, y) = (a.Requests(), b.Requests());
        static decimal Extended(Dictionary<string, decimal> r) => r.Where(p => Resources.IsExtended(p.Key)).Sum(p => p.Value);
        var byExtended = Extended(x).CompareTo(Extended(y));
        if (byExtended != 0)
        {
            return byExtended;
        }

        var byMemory = x.GetValueOrDefault(Resources.Memory).CompareTo(y.GetValueOrDefault(Resources.Memory));
        return byMemory != 0 ? byMemory : x.GetValueOrDefault(Resources.Cpu).CompareTo(y.GetValueOrDefault(Resources.Cpu));
    }
}
