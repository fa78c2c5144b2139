using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Discover;

/// <summary>--mode, --select, --exclude and --selector, applied to one eligible ISVC, with the reason when it is left out.</summary>
public static class SelectionRules
{
    /// <summary>A --select/--exclude entry names an ISVC as "name" (any namespace in scope) or "namespace/name".</summary>
    public static bool Names(string entry, string ns, string name) =>
        entry == name || entry == $"{ns}/{name}";

    public static string? Exclusion(JsonObject isvc, string mode, DiscoverOptions options, LabelSelector selector)
    {
        var ns = isvc.Namespace() ?? "";
        var name = isvc.Name();
        if (options.Mode != "all" && !string.Equals(options.Mode, mode, StringComparison.OrdinalIgnoreCase))
        {
            return $"not selected: --mode {options.Mode}";
        }

        if (options.Select.Count > 0 && !options.Select.Any(e => Names(e, ns, name)))
        {
            return "not selected: not named in --select";
        }

        if (options.Exclude.Any(e => Names(e, ns, name)))
        {
            return "not selected: named in --exclude";
        }

        return selector.Matches(isvc.Labels()) ? null : $"not selected: labels do not match --selector {options.Selector}";
    }

    /// <summary>--select entries that name nothing in scope (a typo must not silently select less).</summary>
    public static List<string> Unmatched(IEnumerable<string> entries, IReadOnlyCollection<InventoryItem> items) =>
        entries.Where(e => !items.Any(i => Names(e, i.Namespace, i.Name))).ToList();
}
