using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// The ServiceAccount token controller for legacy <c>kubernetes.io/service-account-token</c> Secrets: fills
/// data.token (an opaque random string, base64 like all Secret data), ca.crt and namespace, and the
/// <c>kubernetes.io/service-account.uid</c> annotation, once the ServiceAccount named in
/// <c>kubernetes.io/service-account.name</c> exists. Deliberate difference from Kubernetes: a token Secret whose
/// ServiceAccount does not exist yet is left pending (not deleted) and filled when the ServiceAccount appears,
/// because migration tools may create the Secret just before the ServiceAccount. Deleting a ServiceAccount
/// deletes its token Secrets, as Kubernetes does.
/// </summary>
internal sealed class TokenController(ObjectStore store) : IController
{
    public const string TokenType = "kubernetes.io/service-account-token";
    private const string NameAnnotation = "kubernetes.io/service-account.name";
    private const string UidAnnotation = "kubernetes.io/service-account.uid";
    private const string FakeCa = "-----BEGIN CERTIFICATE-----\nTUlJU0lNVUxBVE9SQ0E=\n-----END CERTIFICATE-----\n";

    public void Start(CancellationToken stopping)
    {
        foreach (var secret in store.List(Kinds.Secret, ListRequest.All()).Items)
        {
            TryFill(secret);
        }
    }

    public void Handle(StoreEvent e, CancellationToken stopping)
    {
        if (e.Kind.GroupResource == Kinds.Secret.GroupResource && e.Type != "DELETED")
        {
            TryFill(e.Object);
        }
        else if (e.Kind.GroupResource == Kinds.ServiceAccount.GroupResource)
        {
            foreach (var secret in store.List(Kinds.Secret, ListRequest.All(e.Namespace)).Items.Where(s => IsTokenFor(s, e.Name)))
            {
                if (e.Type == "DELETED")
                {
                    store.Delete(Kinds.Secret, secret.Namespace(), secret.Name(), new DeleteRequest());
                }
                else
                {
                    TryFill(secret);
                }
            }
        }
    }

    private static bool IsTokenFor(JsonObject secret, string serviceAccount) =>
        secret.Str("type") == TokenType && secret.Annotation(NameAnnotation) == serviceAccount;

    private void TryFill(JsonObject secret)
    {
        if (secret.Str("type") != TokenType || ObjectMeta.IsDeleting(secret) || secret.At("data", "token") is JsonValue { } t && t.ToString().Length > 0)
        {
            return;
        }

        if (secret.Annotation(NameAnnotation) is not { Length: > 0 } saName || store.TryGet(Kinds.ServiceAccount, secret.Namespace(), saName) is not { } sa)
        {
            return;
        }

        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("sim-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant()));
        store.Patch(Kinds.Secret, secret.Namespace(), secret.Name(), live =>
        {
            var data = live!["data"] as JsonObject ?? [];
            data["token"] = token;
            data["ca.crt"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(FakeCa));
            data["namespace"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(live.Namespace() ?? string.Empty));
            live["data"] = data;
            live.SetAnnotation(UidAnnotation, sa.Uid() ?? string.Empty);
            return live;
        }, WriteContext.Internal("kube-controller-manager"));
    }
}
