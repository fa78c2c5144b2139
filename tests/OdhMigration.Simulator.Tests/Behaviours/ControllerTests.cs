using System.Text;
using k8s;
using k8s.Models;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Behaviours;

/// <summary>Token controller, garbage collector propagation policies, namespace deletion and access reviews.</summary>
public sealed class ControllerTests : SimulatorTest
{
    [Fact]
    public async Task Token_secret_is_filled_once_its_service_account_exists()
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "my-token", Annotations = new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = "model-sa" } },
            Type = "kubernetes.io/service-account-token",
        };
        await Endpoint.Client.CoreV1.CreateNamespacedSecretAsync(secret, "proj", cancellationToken: Ct);
        await Sim.WaitForIdleAsync(Ct);
        var pending = await Endpoint.Client.CoreV1.ReadNamespacedSecretAsync("my-token", "proj", cancellationToken: Ct);
        Assert.True(pending.Data is null || !pending.Data.ContainsKey("token"), "no token while the ServiceAccount is missing");

        await Endpoint.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "model-sa" } }, "proj", cancellationToken: Ct);
        var filled = await Eventually.WaitAsync(async () =>
        {
            var s = await Endpoint.Client.CoreV1.ReadNamespacedSecretAsync("my-token", "proj", cancellationToken: Ct);
            return s.Data is { } d && d.ContainsKey("token") ? s : null;
        }, what: "token");
        Assert.StartsWith("sim-", Encoding.UTF8.GetString(filled.Data["token"]), StringComparison.Ordinal);
        Assert.Equal("proj", Encoding.UTF8.GetString(filled.Data["namespace"]));
        Assert.True(filled.Data.ContainsKey("ca.crt"));
        Assert.False(string.IsNullOrEmpty(filled.Metadata.Annotations["kubernetes.io/service-account.uid"]));

        await Endpoint.Client.CoreV1.DeleteNamespacedServiceAccountAsync("model-sa", "proj", cancellationToken: Ct);
        await Eventually.TrueAsync(() => Task.FromResult(Sim.Store.TryGet(Kinds.Secret, "proj", "my-token") is null), what: "token secret deleted with its ServiceAccount");
    }

    [Fact]
    public async Task Foreground_delete_removes_dependents_before_the_owner()
    {
        var (owner, _) = await OwnerWithDependentAsync();
        var result = await Endpoint.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "proj", new V1DeleteOptions { PropagationPolicy = "Foreground" }, cancellationToken: Ct);
        Assert.NotNull(result);
        await Eventually.TrueAsync(() => Task.FromResult(Sim.Store.TryGet(Kinds.ConfigMap, "proj", "owner") is null && Sim.Store.TryGet(Kinds.ConfigMap, "proj", "dependent") is null), what: "owner and dependent gone");
        Assert.False(Sim.Store.UidExists(owner.Metadata.Uid));
    }

    [Fact]
    public async Task Orphan_delete_keeps_dependents_without_the_owner_reference()
    {
        await OwnerWithDependentAsync();
        await Endpoint.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "proj", new V1DeleteOptions { PropagationPolicy = "Orphan" }, cancellationToken: Ct);
        await Eventually.TrueAsync(() => Task.FromResult(Sim.Store.TryGet(Kinds.ConfigMap, "proj", "owner") is null), what: "owner gone");
        await Sim.WaitForIdleAsync(Ct);
        var dependent = Sim.Store.Get(Kinds.ConfigMap, "proj", "dependent");
        Assert.Empty(dependent.OwnerReferences());
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_contents()
    {
        await Endpoint.Client.CoreV1.DeleteNamespaceAsync("proj", cancellationToken: Ct);
        await Eventually.TrueAsync(() => Task.FromResult(Sim.Store.List(Kinds.InferenceService, Store.ListRequest.All("proj")).Items.Count == 0 && Sim.Store.List(Kinds.ServingRuntime, Store.ListRequest.All("proj")).Items.Count == 0), what: "namespace emptied");
        await Eventually.TrueAsync(() => Task.FromResult(Sim.Store.TryGet(Kinds.Namespace, null, "proj") is null), what: "namespace finalized and gone");
        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            Endpoint.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late" } }, "proj", cancellationToken: Ct));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task Self_subject_access_reviews_follow_the_rules()
    {
        async Task<bool> Can(string verb, string resource, string ns) =>
            (await Endpoint.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
            {
                Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = verb, Group = "serving.kserve.io", Resource = resource, NamespaceProperty = ns } },
            }, cancellationToken: Ct)).Status.Allowed;

        Assert.True(await Can("delete", "inferenceservices", "proj"));
        await AdminAsync("simulator/access", new System.Text.Json.Nodes.JsonObject
        {
            ["default"] = false,
            ["rules"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["verb"] = "get", ["resource"] = "inferenceservices", ["namespace"] = "proj" }),
        });
        Assert.True(await Can("get", "inferenceservices", "proj"));
        Assert.False(await Can("get", "inferenceservices", "other"));
        Assert.False(await Can("delete", "inferenceservices", "proj"));
    }

    [Fact]
    public async Task A_rule_with_names_allows_only_those_objects_like_rbac_resource_names()
    {
        async Task<bool> Can(string verb, string? name) =>
            (await Endpoint.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
            {
                Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = verb, Group = "", Resource = "configmaps", NamespaceProperty = "proj", Name = name } },
            }, cancellationToken: Ct)).Status.Allowed;

        await AdminAsync("simulator/access", new System.Text.Json.Nodes.JsonObject
        {
            ["default"] = false,
            ["rules"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["verb"] = "patch", ["group"] = "", ["resource"] = "configmaps", ["names"] = new System.Text.Json.Nodes.JsonArray("inferenceservice-config") },
                new System.Text.Json.Nodes.JsonObject { ["verb"] = "list", ["group"] = "", ["resource"] = "configmaps", ["names"] = new System.Text.Json.Nodes.JsonArray("inferenceservice-config") }),
        });
        Assert.True(await Can("patch", "inferenceservice-config"));
        Assert.False(await Can("patch", "other"));
        Assert.False(await Can("patch", null));
        Assert.False(await Can("list", null));
    }

    private async Task<(V1ConfigMap Owner, V1ConfigMap Dependent)> OwnerWithDependentAsync()
    {
        var owner = await Endpoint.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "proj", cancellationToken: Ct);
        var dependent = await Endpoint.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "dependent", OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }] },
        }, "proj", cancellationToken: Ct);
        return (owner, dependent);
    }
}
