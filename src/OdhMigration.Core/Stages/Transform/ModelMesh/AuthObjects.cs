using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Transform.ModelMesh;

/// <summary>
/// The dashboard's per-ISVC token auth objects for a KServe model (ModelMesh kept them per runtime):
/// ServiceAccount &lt;isvc&gt;-sa, Role &lt;isvc&gt;-view-role (get on this InferenceService), RoleBinding
/// &lt;isvc&gt;-view and a data-free token Secret token-&lt;isvc&gt;-sa (a new token is minted on apply; the old one
/// cannot be reused). ownerReferences to the new ISVC need its uid, which only exists after apply creates it.
/// </summary>
public static class AuthObjects
{
    public static string ServiceAccountName(string isvc) => $"{isvc}-sa";
    public static string TokenSecretName(string isvc) => $"token-{isvc}-sa";

    public static List<JsonObject> Create(string isvc, string ns, string sourceNamespace)
    {
        var sa = Manifest.NewObject(Kinds.ServiceAccount, ServiceAccountName(isvc), ns);
        var role = Manifest.NewObject(Kinds.Role, $"{isvc}-view-role", ns);
        role["rules"] = new JsonArray(new JsonObject
        {
            ["verbs"] = new JsonArray("get"),
            ["apiGroups"] = new JsonArray("serving.kserve.io"),
            ["resources"] = new JsonArray("inferenceservices"),
            ["resourceNames"] = new JsonArray(isvc),
        });
        var binding = Manifest.NewObject(Kinds.RoleBinding, $"{isvc}-view", ns);
        binding["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = $"{isvc}-view-role" };
        binding["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = ServiceAccountName(isvc) });
        var token = Manifest.NewObject(Kinds.Secret, TokenSecretName(isvc), ns);
        token["type"] = ModelMeshKeys.ServiceAccountTokenType;
        token.SetAnnotation(ModelMeshKeys.ServiceAccountNameAnnotation, ServiceAccountName(isvc));
        token.SetAnnotation(ModelMeshKeys.DisplayName, isvc);

        var all = new List<JsonObject> { sa, role, binding, token };
        foreach (var obj in all)
        {
            obj.SetLabel(ModelMeshKeys.DashboardLabel, "true");
            obj.SetAnnotation(ModelMeshKeys.MigrationSource, "modelmesh");
            obj.SetAnnotation(ModelMeshKeys.MigrationOriginalNamespace, sourceNamespace);
        }

        return all;
    }
}
