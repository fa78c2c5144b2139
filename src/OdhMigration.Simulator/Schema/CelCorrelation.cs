using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Schema;

/// <summary>
/// Validation ratcheting of CEL rules on update (CRDValidationRatcheting, on by default since Kubernetes 1.30;
/// validation.go ratchetingOptions and k8s.io/apiserver pkg/cel/common CorrelatedObject): a rule without
/// <c>oldSelf</c> that fails on a value equal to its old value, or whose nearest correlated ancestor is unchanged,
/// is a warning, not an error. Values correlate through object fields and map keys present in both, and through
/// items of <c>x-kubernetes-list-type: map</c> lists with the same keys.
/// </summary>
internal sealed record CelCorrelation(JsonNode? Current, JsonNode? CurrentOld, CelCorrelation? NearestParent)
{
    public static CelCorrelation? Root(JsonObject candidate, JsonObject? previous) => previous is null ? null : new(candidate, previous, null);

    public bool ShouldRatchet => Current is not null ? JsonNode.DeepEquals(Current, CurrentOld) : NearestParent?.ShouldRatchet == true;

    public CelCorrelation Key(string key)
    {
        if (Current is null)
        {
            return this;
        }

        return Current is JsonObject node && CurrentOld is JsonObject old && node.TryGetPropertyValue(key, out var value) && old.TryGetPropertyValue(key, out var oldValue)
            ? new CelCorrelation(value, oldValue, this)
            : new CelCorrelation(null, null, this);
    }

    public CelCorrelation Index(int index, StructuralSchema schema)
    {
        if (Current is null)
        {
            return this;
        }

        var item = (Current as JsonArray)?[index];
        var old = MapListItem(CurrentOld as JsonArray, item, schema);
        return old is not null ? new CelCorrelation(item, old, this) : new CelCorrelation(null, null, this);
    }

    /// <summary>The old item of a list-type map list with the same key values as <paramref name="item"/>, else null.</summary>
    public static JsonNode? MapListItem(JsonArray? old, JsonNode? item, StructuralSchema schema)
    {
        if (old is null || item is not JsonObject obj || schema.ListType != "map" || schema.ListMapKeys.Count == 0)
        {
            return null;
        }

        return old.FirstOrDefault(o => o is JsonObject candidate && schema.ListMapKeys.All(k => JsonNode.DeepEquals(candidate[k], obj[k])));
    }
}
