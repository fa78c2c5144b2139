using System.Text.Json.Nodes;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Core.Tests.Workspace;

public sealed class ManifestFileNamesTests
{
    [Fact]
    public void Lexical_order_of_file_names_is_the_safe_apply_order()
    {
        // Shuffled on purpose: oc apply -f <dir> walks names in lexical order.
        var names = new[]
        {
            ManifestFileNames.For("InferenceService", "a"),
            ManifestFileNames.For("Secret", "token-a-sa", isTokenSecret: true),
            ManifestFileNames.For("RoleBinding", "a-view"),
            ManifestFileNames.For("Namespace", "zzz"),
            ManifestFileNames.For("ServingRuntime", "rt"),
            ManifestFileNames.For("Role", "a-view-role"),
            ManifestFileNames.For("ServiceAccount", "a-sa"),
            ManifestFileNames.For("Secret", "aws-connection-x"),
        };

        var kindsInOrder = names.Order(StringComparer.Ordinal).Select(n => n.Split('-')[1]).ToList();

        Assert.Equal(["namespace", "secret", "serviceaccount", "role", "rolebinding", "servingruntime", "inferenceservice", "token"], kindsInOrder);
    }

    [Fact]
    public void Token_secrets_are_recognised_by_type()
    {
        var token = new JsonObject { ["kind"] = "Secret", ["type"] = "kubernetes.io/service-account-token" };
        var opaque = new JsonObject { ["kind"] = "Secret", ["type"] = "Opaque" };
        Assert.True(ManifestFileNames.IsTokenSecret(token));
        Assert.False(ManifestFileNames.IsTokenSecret(opaque));
    }
}
