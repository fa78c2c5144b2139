using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Capacity;

/// <summary>A LimitRange's Container defaults, the part of it that changes what a pod requests (its min/max checks are not modelled).</summary>
public static class LimitRanges
{
    /// <summary>
    /// The Container items' default and defaultRequest, with the API's defaulting of a LimitRange item applied (as the API
    /// server stores it; a snapshot written by hand may lack it): pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem
    /// takes a missing default from max, a missing defaultRequest from default, then from min. Null when the LimitRange
    /// has no Container item with a default.
    /// </summary>
    public static NamespaceLimitRange? From(JsonObject range)
    {
        var where = $"LimitRange {range.Namespace()}/{range.Name()}";
        var defaults = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var defaultRequests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var items = (range.At("spec", "limits") as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Str("type") != "Container")
            {
                continue;
            }

            var field = $"{where}: spec.limits[{i}]";
            var itemDefault = Requirements.ParseMap(item["default"], $"{field}.default");
            var itemRequest = Requirements.ParseMap(item["defaultRequest"], $"{field}.defaultRequest");
            foreach (var (resource, max) in Requirements.ParseMap(item["max"], $"{field}.max"))
            {
                itemDefault.TryAdd(resource, max);
            }

            foreach (var (resource, limit) in itemDefault)
            {
                itemRequest.TryAdd(resource, limit);
            }

            foreach (var (resource, min) in Requirements.ParseMap(item["min"], $"{field}.min"))
            {
                itemRequest.TryAdd(resource, min);
            }

            // Several Container items: the admission plugin writes them into one set of defaults in turn, the later winning.
            foreach (var (resource, amount) in itemDefault)
            {
                defaults[resource] = amount;
            }

            foreach (var (resource, amount) in itemRequest)
            {
                defaultRequests[resource] = amount;
            }
        }

        return defaults.Count == 0 && defaultRequests.Count == 0
            ? null
            : new NamespaceLimitRange(range.Namespace() ?? "", range.Name(), Amounts.Sorted(defaults), Amounts.Sorted(defaultRequests));
    }
}
