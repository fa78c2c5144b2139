using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Patching.Ownership;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Patching;

/// <summary>
/// Server-side apply and field ownership as structured-merge-diff's Updater does them (merge/update.go Apply and
/// Update), wrapped the way kube-apiserver wraps it (k8s.io/apimachinery pkg/util/managedfields/internal:
/// stripmeta.go, managedfieldsupdater.go, conflict.go). Every manager (name, operation, subresource) owns a set of
/// fields. Apply merges the configuration into the live object, removes what the manager applied last time and
/// no longer applies (unless another manager owns it), and refuses with 409 the changes to fields other managers
/// own unless forced, when ownership moves. An update (PUT, PATCH, create) takes ownership of the fields it changes.
/// </summary>
public static class ServerSideApply
{
    /// <summary>Fields nobody owns (stripmeta.go): type meta and the server-maintained metadata.</summary>
    private static readonly HashSet<string> Stripped = new(
        ["f:apiVersion", "f:kind", "f:metadata", .. new[] { "name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "resourceVersion" }.Select(f => "f:metadata" + FieldPaths.Separator + "f:" + f)],
        StringComparer.Ordinal);

    private const string ManagedFieldsPath = "f:metadata\u0001f:managedFields";

    /// <summary>
    /// Applies <paramref name="applied"/> for <paramref name="manager"/> to <paramref name="live"/> (null: create) and
    /// returns the object with its new metadata.managedFields. Throws 409 with the conflicts unless <paramref name="force"/>.
    /// </summary>
    public static JsonObject Apply(ResourceKind kind, FieldTypes types, JsonObject? live, JsonObject applied, string manager, bool force, string? subresource, string now)
    {
        ArgumentNullException.ThrowIfNull(types);
        var type = types.Root(kind);
        var before = live ?? new JsonObject();
        var entries = ManagerEntry.Read(before);
        if (live is not null && entries.Count == 0)
        {
            // An object nobody tracks yet: its current fields are first recorded as owned by "before-first-apply",
            // so applying different values conflicts with them (managedfields/internal/skipnonapplied.go Apply).
            var existing = Compared(kind, subresource, new JsonObject(), live, type);
            entries.Add(new ManagerEntry("before-first-apply", "Update", subresource, kind.ApiVersion, now, existing.Added.Concat(existing.Modified).ToHashSet(StringComparer.Ordinal)));
        }

        HashSet<string> appliedSet;
        JsonObject merged;
        try
        {
            appliedSet = Owned(kind, subresource, FieldSets.Of(applied, type));
            merged = (JsonObject)ApplyMerge.Merge(before, applied, type, string.Empty)!;
        }
        catch (ApiException e) when (e.Code == 500 && e.Reason.Length == 0)
        {
            // A configuration that is not a valid typed object fails the conversion, not as a Status error.
            throw new ApiException(500, string.Empty, $"failed to create typed patch object ({kind.Group}/{kind.Version}, Kind={kind.Kind}): {e.Message}");
        }

        var previous = entries.FirstOrDefault(e => e.SameIdentity(manager, "Apply", subresource));
        entries.RemoveAll(e => e.SameIdentity(manager, "Apply", subresource));
        var mine = new ManagerEntry(manager, "Apply", subresource, kind.ApiVersion, now, appliedSet);
        entries.Add(mine);
        if (previous is not null)
        {
            var owned = entries.SelectMany(e => e.Fields).ToHashSet(StringComparer.Ordinal);
            var remove = previous.Fields.Where(f => !owned.Contains(f)).ToHashSet(StringComparer.Ordinal);
            if (remove.Count > 0)
            {
                ApplyMerge.Prune(merged, type, string.Empty, remove, ApplyMerge.Prefixes(remove));
            }
        }

        var comparison = Compared(kind, subresource, before, merged, type);
        var conflicts = entries.Where(e => !ReferenceEquals(e, mine))
            .Select(e => (Entry: e, Paths: e.Fields.Where(f => comparison.Modified.Contains(f) || comparison.Added.Contains(f)).ToList()))
            .Where(c => c.Paths.Count > 0)
            .ToList();
        if (!force && conflicts.Count > 0)
        {
            throw ConflictError(conflicts);
        }

        foreach (var entry in entries.Where(e => !ReferenceEquals(e, mine)))
        {
            entry.Fields.ExceptWith(comparison.Modified);
            entry.Fields.ExceptWith(comparison.Added);
            entry.Fields.ExceptWith(comparison.Removed);
        }

        ManagerEntry.Write(merged, entries);
        return merged;
    }

    /// <summary>
    /// Records an update (create, PUT, non-apply PATCH) by <paramref name="manager"/>: it takes the fields the write
    /// added or changed (from whoever owned them: updates are always forced) and fields that went are nobody's.
    /// The entry's time moves only when it took something (managedfieldsupdater.go).
    /// </summary>
    public static void RecordUpdate(ResourceKind kind, FieldTypes types, JsonObject? current, JsonObject next, string manager, string? subresource, string now)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(next);
        var type = types.Root(kind);
        var entries = ManagerEntry.Read(current);
        if (current is not null && entries.Count == 0)
        {
            return; // updates of an object with no managedFields are not tracked (managedfields/internal/skipnonapplied.go Update)
        }

        var comparison = Compared(kind, subresource, current ?? new JsonObject(), next, type);
        var took = comparison.Added.Concat(comparison.Modified).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            entry.Fields.ExceptWith(comparison.Removed);
            entry.Fields.ExceptWith(took);
        }

        if (took.Count > 0)
        {
            var previous = entries.FirstOrDefault(e => e.SameIdentity(manager, "Update", subresource));
            entries.RemoveAll(e => e.SameIdentity(manager, "Update", subresource));
            if (previous is not null)
            {
                took.UnionWith(previous.Fields);
            }

            entries.Add(new ManagerEntry(manager, "Update", subresource, kind.ApiVersion, now, took));
        }

        ManagerEntry.Write(next, entries);
    }

    private static Comparison Compared(ResourceKind kind, string? subresource, JsonObject before, JsonObject after, FieldType type)
    {
        var comparison = FieldSets.Compare(before, after, type);
        return new Comparison(Owned(kind, subresource, comparison.Added), Owned(kind, subresource, comparison.Modified), Owned(kind, subresource, comparison.Removed));
    }

    /// <summary>
    /// Drops the fields no manager owns: stripped metadata, and the fields the request cannot change (status on the
    /// main resource of a kind with a status subresource, everything but status on /status: the strategies'
    /// GetResetFields).
    /// </summary>
    private static HashSet<string> Owned(ResourceKind kind, string? subresource, HashSet<string> paths)
    {
        var statusPrefix = "f:status";
        var hasStatus = KindRegistry.HasStatus(kind);
        paths.RemoveWhere(p =>
            Stripped.Contains(p)
            || p.StartsWith(ManagedFieldsPath, StringComparison.Ordinal)
            || (subresource == "status" && !Under(p, statusPrefix))
            || (subresource is null && hasStatus && Under(p, statusPrefix)));
        return paths;
    }

    private static bool Under(string path, string prefix) =>
        path == prefix || (path.StartsWith(prefix, StringComparison.Ordinal) && path[prefix.Length] == FieldPaths.Separator);

    /// <summary>
    /// The API server's apply conflict (managedfields/internal/conflict.go NewConflictError, apimachinery
    /// errors.NewApplyConflict): 409 Conflict, one FieldManagerConflict cause per field, message listing them.
    /// </summary>
    private static ApiException ConflictError(List<(ManagerEntry Entry, List<string> Paths)> conflicts)
    {
        var all = conflicts
            .SelectMany(c => c.Paths.Select(p => (Manager: c.Entry.Printed(), Path: p)))
            .OrderBy(c => c.Manager, StringComparer.Ordinal)
            .ThenBy(c => c.Path, Comparer<string>.Create(FieldPaths.CompareIterationOrder))
            .ToList();
        var causes = new JsonArray();
        foreach (var (manager, path) in all)
        {
            causes.Add((JsonNode)new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with {manager}", ["field"] = FieldPaths.Describe(path) });
        }

        string message;
        if (all.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {all[0].Manager}: {FieldPaths.Describe(all[0].Path)}";
        }
        else
        {
            var lines = all.GroupBy(c => c.Manager).SelectMany(g => new[] { $"conflicts with {g.Key}:" }.Concat(g.Select(c => "- " + FieldPaths.Describe(c.Path))));
            message = $"Apply failed with {all.Count} conflicts: {string.Join("\n", lines)}";
        }

        return new ApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }
}
