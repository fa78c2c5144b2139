using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Export;

/// <summary>Turns a Secret into a data-free reference (name, type, labels, annotations) unless data was explicitly requested.</summary>
public static class SecretSanitizer
{
    public static JsonObject WithoutData(JsonObject secret)
    {
        var copy = secret.DeepCopy();
        copy.Remove("data");
        copy.Remove("stringData");
        return copy;
    }

    /// <summary>The data-free template the dashboard would create for a service-account token (a new token is minted on apply).</summary>
    public static JsonObject TokenTemplate(JsonObject tokenSecret)
    {
        var template = Manifest.NewObject(Kinds.Secret, tokenSecret.Name(), tokenSecret.Namespace());
        template["type"] = "kubernetes.io/service-account-token";
        template.SetLabel("opendatahub.io/dashboard", "true");
        if (tokenSecret.Annotation("kubernetes.io/service-account.name") is { } sa)
        {
            template.SetAnnotation("kubernetes.io/service-account.name", sa);
        }

        if (tokenSecret.Annotation("openshift.io/display-name") is { } display)
        {
            template.SetAnnotation("openshift.io/display-name", display);
        }

        return template;
    }
}
