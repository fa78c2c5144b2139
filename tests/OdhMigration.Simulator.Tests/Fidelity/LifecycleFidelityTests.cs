using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// Namespace termination and garbage collection as a cluster does them, through kubectl and the official Python
/// client. Upstream: kubernetes/kubernetes pkg/registry/core/namespace/storage/storage.go (first delete marks the
/// namespace Terminating, a later delete is 409 while spec.finalizers is not empty), pkg/registry/core/namespace/
/// strategy.go (the kubernetes finalizer), staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/
/// admission.go (403 with cause NamespaceTerminating), pkg/controller/garbagecollector/garbagecollector.go
/// (attemptToDeleteItem: absent or uid-mismatched owners, blockOwnerDeletion in foreground deletion).
/// </summary>
public sealed class LifecycleFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Hold = "example.com/hold";

    [Fact]
    public async Task A_deleted_namespace_is_terminating_refuses_new_content_and_goes_away_when_empty()
    {
        var created = await sim.PythonAsync("POST", "/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "doomed" } }, "application/json");
        Assert.Equal(201, created.Status);
        Assert.Equal("""["kubernetes"]""", created.Body!["spec"]!["finalizers"]!.ToJsonString());
        Assert.Equal("Active", created.Body["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/doomed/configmaps", ConfigMap("held", finalizer: Hold), "application/json")).Status);

        var deleted = await sim.KubectlAsync(null, "delete", "namespace", "doomed", "--wait=false");
        Assert.True(deleted.ExitCode == 0, deleted.StandardError);
        await sim.Host.WaitForIdleAsync(TestContext.Current.CancellationToken);

        var terminating = await sim.PythonAsync("GET", "/api/v1/namespaces/doomed");
        Assert.Equal(200, terminating.Status);
        Assert.Equal("Terminating", terminating.Body!["status"]!["phase"]!.GetValue<string>());
        Assert.NotNull(terminating.Body["metadata"]!["deletionTimestamp"]);
        Assert.Equal("""["kubernetes"]""", terminating.Body["spec"]!["finalizers"]!.ToJsonString());
        var phase = await sim.KubectlAsync(null, "get", "namespace", "doomed", "-o", "jsonpath={.status.phase}");
        Assert.Equal("Terminating", phase.StandardOutput);

        // Its content is being deleted; the held ConfigMap waits for its finalizer.
        Assert.NotNull(sim.Host.Store.Get(Kinds.ConfigMap, "doomed", "held").At("metadata", "deletionTimestamp"));

        var refused = await sim.PythonAsync("POST", "/api/v1/namespaces/doomed/configmaps", ConfigMap("late"), "application/json");
        Assert.Equal(403, refused.Status);
        Assert.Equal("Forbidden", refused.Reason);
        Assert.Equal("configmaps \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated", refused.Message);
        var cause = refused.Body!["details"]!["causes"]![0]!;
        Assert.Equal("NamespaceTerminating", cause["reason"]!.GetValue<string>());
        Assert.Equal("namespace doomed is being terminated", cause["message"]!.GetValue<string>());
        Assert.Equal("metadata.namespace", cause["field"]!.GetValue<string>());
        var kubectlRefused = await sim.KubectlAsync(null, "create", "configmap", "late", "-n", "doomed");
        Assert.NotEqual(0, kubectlRefused.ExitCode);
        Assert.Contains("configmaps \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated", kubectlRefused.StandardError, StringComparison.Ordinal);

        var recreate = await sim.PythonAsync("POST", "/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "doomed" } }, "application/json");
        Assert.Equal(409, recreate.Status);
        Assert.Equal("AlreadyExists", recreate.Reason);
        Assert.Equal("namespaces \"doomed\" already exists", recreate.Message);
        var deleteAgain = await sim.PythonAsync("DELETE", "/api/v1/namespaces/doomed");
        Assert.Equal(409, deleteAgain.Status);
        Assert.Equal("Conflict", deleteAgain.Reason);
        Assert.Equal("Operation cannot be fulfilled on namespaces \"doomed\": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.", deleteAgain.Message);

        // Once the last object is gone the namespace controller finalizes and the Namespace disappears.
        Assert.Equal(200, (await sim.PythonAsync("PATCH", "/api/v1/namespaces/doomed/configmaps/held", JsonNode.Parse("""{"metadata":{"finalizers":null}}"""), "application/merge-patch+json")).Status);
        await sim.Host.WaitForIdleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(404, (await sim.PythonAsync("GET", "/api/v1/namespaces/doomed")).Status);
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "doomed" } }, "application/json")).Status);
    }

    [Fact]
    public async Task Dependents_whose_owner_is_missing_or_has_another_uid_are_collected()
    {
        var owner = await sim.PythonAsync("POST", "/api/v1/namespaces/proj/configmaps", ConfigMap("gc-owner"), "application/json");
        var uid = owner.Body!["metadata"]!["uid"]!.GetValue<string>();
        var ghost = Guid.NewGuid().ToString();
        foreach (var dependent in new[]
        {
            ConfigMap("gc-missing-owner", owners: [OwnerRef("gc-ghost", ghost)]),
            ConfigMap("gc-other-uid", owners: [OwnerRef("gc-owner", Guid.NewGuid().ToString())]),
            ConfigMap("gc-owned", owners: [OwnerRef("gc-owner", uid)]),
            ConfigMap("gc-mixed", owners: [OwnerRef("gc-owner", uid), OwnerRef("gc-ghost", ghost)]),
        })
        {
            Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/proj/configmaps", dependent, "application/json")).Status);
        }

        await sim.Host.WaitForIdleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(404, (await sim.PythonAsync("GET", "/api/v1/namespaces/proj/configmaps/gc-missing-owner")).Status);
        Assert.Equal(404, (await sim.PythonAsync("GET", "/api/v1/namespaces/proj/configmaps/gc-other-uid")).Status);
        Assert.Equal(200, (await sim.PythonAsync("GET", "/api/v1/namespaces/proj/configmaps/gc-owned")).Status);
        var mixed = await sim.KubectlAsync(null, "get", "configmap", "gc-mixed", "-n", "proj", "-o", "jsonpath={.metadata.ownerReferences[*].name}");
        Assert.True(mixed.ExitCode == 0, mixed.StandardError);
        Assert.Equal("gc-owner", mixed.StandardOutput);
    }

    [Fact]
    public async Task Foreground_deletion_keeps_the_owner_until_dependents_that_block_owner_deletion_are_gone()
    {
        var owner = await sim.PythonAsync("POST", "/api/v1/namespaces/proj/configmaps", ConfigMap("fg-owner"), "application/json");
        var uid = owner.Body!["metadata"]!["uid"]!.GetValue<string>();
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/proj/configmaps", ConfigMap("fg-blocker", Hold, [OwnerRef("fg-owner", uid, blockOwnerDeletion: true)]), "application/json")).Status);
        Assert.Equal(201, (await sim.PythonAsync("POST", "/api/v1/namespaces/proj/configmaps", ConfigMap("fg-free", Hold, [OwnerRef("fg-owner", uid, blockOwnerDeletion: false)]), "application/json")).Status);

        var deleted = await sim.KubectlAsync(null, "delete", "configmap", "fg-owner", "-n", "proj", "--cascade=foreground", "--wait=false");
        Assert.True(deleted.ExitCode == 0, deleted.StandardError);
        await sim.Host.WaitForIdleAsync(TestContext.Current.CancellationToken);

        var waiting = await sim.PythonAsync("GET", "/api/v1/namespaces/proj/configmaps/fg-owner");
        Assert.Equal(200, waiting.Status);
        Assert.NotNull(waiting.Body!["metadata"]!["deletionTimestamp"]);
        Assert.Contains("foregroundDeletion", waiting.Body["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.NotNull(sim.Host.Store.Get(Kinds.ConfigMap, "proj", "fg-blocker").At("metadata", "deletionTimestamp"));
        Assert.NotNull(sim.Host.Store.Get(Kinds.ConfigMap, "proj", "fg-free").At("metadata", "deletionTimestamp"));

        // Once the blocking dependent is gone the owner goes, although a dependent without blockOwnerDeletion is still there.
        await Release("fg-blocker");
        Assert.Equal(404, (await sim.PythonAsync("GET", "/api/v1/namespaces/proj/configmaps/fg-owner")).Status);
        Assert.Equal(200, (await sim.PythonAsync("GET", "/api/v1/namespaces/proj/configmaps/fg-free")).Status);
        await Release("fg-free");
        Assert.Equal(404, (await sim.PythonAsync("GET", "/api/v1/namespaces/proj/configmaps/fg-free")).Status);
    }

    private async Task Release(string name)
    {
        Assert.Equal(200, (await sim.PythonAsync("PATCH", "/api/v1/namespaces/proj/configmaps/" + name, JsonNode.Parse("""{"metadata":{"finalizers":null}}"""), "application/merge-patch+json")).Status);
        await sim.Host.WaitForIdleAsync(TestContext.Current.CancellationToken);
    }

    private static JsonObject OwnerRef(string name, string uid, bool? blockOwnerDeletion = null)
    {
        var reference = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = name, ["uid"] = uid };
        if (blockOwnerDeletion is { } block)
        {
            reference["blockOwnerDeletion"] = block;
        }

        return reference;
    }

    private static JsonObject ConfigMap(string name, string? finalizer = null, JsonObject[]? owners = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (finalizer is not null)
        {
            metadata["finalizers"] = new JsonArray(finalizer);
        }

        if (owners is not null)
        {
            metadata["ownerReferences"] = new JsonArray([.. owners]);
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata, ["data"] = new JsonObject { ["k"] = "v" } };
    }
}
