namespace OdhMigration.Simulator.Schema.Cel;

/// <summary>
/// CEL's heterogeneous equality and ordering (cel-go common/types: <c>types.Equal</c>, numeric comparison across
/// int, uint and double): null equals only null, numbers compare by value whatever their type, other values of
/// different types are unequal; lists compare in order except set/map lists (the API server's list types compare
/// without order), maps by keys and values.
/// </summary>
public static class CelCompare
{
    public static bool Equal(object a, object b)
    {
        switch (a)
        {
            case CelNull:
                return b is CelNull;
            case long or ulong or double:
                return b is long or ulong or double && Order(a, b) == 0;
            case string s:
                return b is string t && string.Equals(s, t, StringComparison.Ordinal);
            case bool x:
                return b is bool y && x == y;
            case CelList list:
                return b is CelList otherList && ListEqual(list, otherList);
            case CelMap map:
                return b is CelMap otherMap && map.Count == otherMap.Count && map.Keys.All(k => otherMap.Has(k) && Equal(map.Get(k)!, otherMap.Get(k)!));
            default:
                return false;
        }
    }

    /// <summary>The order of two numbers, strings (by code point) or bools; null when CEL has no such overload.</summary>
    public static int? Order(object a, object b)
    {
        switch (a, b)
        {
            case (string s, string t):
                return CodePointOrder(s, t);
            case (bool x, bool y):
                return x.CompareTo(y);
            case (long x, long y):
                return x.CompareTo(y);
            case (ulong x, ulong y):
                return x.CompareTo(y);
            case (long x, ulong y):
                return x < 0 ? -1 : ((ulong)x).CompareTo(y);
            case (ulong x, long y):
                return y < 0 ? 1 : x.CompareTo((ulong)y);
            case (double x, double y):
                return DoubleOrder(x, y);
            case (long x, double y):
                return y < long.MinValue ? 1 : y > long.MaxValue ? -1 : DoubleOrder(x, y);
            case (ulong x, double y):
                return y < 0 ? 1 : y > ulong.MaxValue ? -1 : DoubleOrder(x, y);
            case (double, long or ulong):
                return -Order(b, a);
            default:
                return null;
        }
    }

    private static int DoubleOrder(double x, double y) =>
        double.IsNaN(x) || double.IsNaN(y) ? throw new CelUnsupportedException("NaN comparison") : x.CompareTo(y);

    private static int CodePointOrder(string s, string t)
    {
        var left = s.EnumerateRunes().GetEnumerator();
        var right = t.EnumerateRunes().GetEnumerator();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft.CompareTo(hasRight);
            }

            var order = left.Current.Value.CompareTo(right.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }

    private static bool ListEqual(CelList a, CelList b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        if (!a.Unordered && !b.Unordered)
        {
            for (var i = 0; i < a.Count; i++)
            {
                if (!Equal(a[i], b[i]))
                {
                    return false;
                }
            }

            return true;
        }

        var unmatched = Enumerable.Range(0, b.Count).Select(i => b[i]).ToList();
        for (var i = 0; i < a.Count; i++)
        {
            var item = a[i];
            var match = unmatched.FindIndex(other => Equal(item, other));
            if (match < 0)
            {
                return false;
            }

            unmatched.RemoveAt(match);
        }

        return true;
    }
}
