using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Store;

/// <summary>
/// The Namespace lifecycle of the API server: a new Namespace carries the <c>kubernetes</c> finalizer in
/// <c>spec.finalizers</c> (only the namespace controller removes it), the first delete only marks it Terminating
/// (deletionTimestamp + <c>status.phase</c>), creates inside a Terminating namespace are refused by the
/// NamespaceLifecycle admission plugin, and the object goes away only once its content is gone and the finalizer is
/// removed (k8s.io/kubernetes pkg/registry/core/namespace/storage/storage.go, strategy.go;
/// k8s.io/apiserver pkg/admission/plugin/namespace/lifecycle/admission.go).
/// </summary>
public static class NamespaceLifecycle
{
    /// <summary>The finalizer the namespace controller removes once the namespace is empty.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    public static bool IsNamespace(ResourceKind kind) => kind.GroupResource == Kinds.Namespace.GroupResource;

    public static bool IsTerminating(JsonObject ns) =>
        ObjectMeta.IsDeleting(ns) || ns.At("status", "phase")?.ToString() == "Terminating";

    /// <summary>spec.finalizers: what still holds a deleted Namespace besides metadata.finalizers.</summary>
    public static IReadOnlyList<string> SpecFinalizers(JsonObject ns) =>
        ns.At("spec", "finalizers") is JsonArray list ? [.. list.Select(f => f?.ToString() ?? string.Empty)] : [];

    /// <summary>Whether a deleted object must stay stored: a Namespace stays while spec.finalizers is not empty.</summary>
    public static bool HoldsDeletion(ResourceKind kind, JsonObject obj) => IsNamespace(kind) && SpecFinalizers(obj).Count > 0;

    /// <summary>Create: phase Active and the <c>kubernetes</c> finalizer, whatever the client sent (strategy PrepareForCreate).</summary>
    public static void PrepareForCreate(JsonObject ns)
    {
        ns["status"] = new JsonObject { ["phase"] = "Active" };
        var spec = ns["spec"] as JsonObject ?? [];
        spec["finalizers"] = new JsonArray(KubernetesFinalizer);
        ns["spec"] = spec;
    }

    /// <summary>The subresource through which the namespace controller (or a user) removes spec.finalizers.</summary>
    public const string FinalizeSubresource = "finalize";

    /// <summary>
    /// Update: spec.finalizers only changes through <c>/finalize</c> (strategy PrepareForUpdate); status is kept by the
    /// store as for every status-subresource kind.
    /// </summary>
    public static void PrepareForUpdate(JsonObject current, JsonObject next, string? subresource)
    {
        var spec = next["spec"] as JsonObject ?? [];
        var finalizers = subresource == FinalizeSubresource ? spec["finalizers"]?.DeepClone() : current.At("spec", "finalizers")?.DeepClone();
        spec.Remove("finalizers");
        if (finalizers is not null)
        {
            spec["finalizers"] = finalizers;
        }

        if (spec.Count == 0)
        {
            next.Remove("spec");
        }
        else
        {
            next["spec"] = spec;
        }
    }

    /// <summary>The first delete: deletionTimestamp and phase Terminating; the object stays.</summary>
    public static JsonObject BeginTermination(JsonObject current, string now)
    {
        var next = current.DeepCopy();
        next.Metadata()["deletionTimestamp"] ??= now;
        next.Metadata()["deletionGracePeriodSeconds"] ??= 0;
        var status = next["status"] as JsonObject ?? [];
        status["phase"] = "Terminating";
        next["status"] = status;
        return next;
    }

    /// <summary>A later delete while the namespace controller has not finished (409 Conflict, as the registry answers).</summary>
    public static ApiException StillFinalizing(string name) =>
        ApiException.Conflict(Kinds.Namespace, name, "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.");

    /// <summary>The NamespaceLifecycle admission plugin's refusal of a create in a Terminating namespace.</summary>
    public static ApiException CreateRefused(ResourceKind kind, string name, string ns) =>
        new(403, "Forbidden", $"{kind.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", new JsonObject
        {
            ["name"] = name,
            ["group"] = kind.Group,
            ["kind"] = kind.Plural,
            ["causes"] = new JsonArray(new JsonObject
            {
                ["reason"] = "NamespaceTerminating",
                ["message"] = $"namespace {ns} is being terminated",
                ["field"] = "metadata.namespace",
            }),
        });
}
