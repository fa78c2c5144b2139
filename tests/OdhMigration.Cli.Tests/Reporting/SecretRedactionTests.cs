using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Reporting;

namespace OdhMigration.Cli.Tests.Reporting;

/// <summary>The shared redaction rules: values go, names stay, and the manifest it was given is left as it was.</summary>
public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("storageUri https://modeluser:Pa55w0rdXYZ@minio.example.com/models/x", "Pa55w0rdXYZ", "minio.example.com/models/x")]
    [InlineData("s3://AKIAEXAMPLEKEY:wJalrXUtnFEMI@bucket/model", "wJalrXUtnFEMI", "@bucket/model")]
    [InlineData("https://b.s3.amazonaws.com/m.onnx?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIAEX%2F2026&X-Amz-Signature=0123abcdef", "0123abcdef", "X-Amz-Signature=***")]
    [InlineData("https://acct.blob.core.windows.net/c/m?sv=2022-11-02&sig=AzureSig%3D", "AzureSig", "sig=***")]
    [InlineData("https://host/x?token=tok-123456&other=1", "tok-123456", "other=1")]
    [InlineData("https://host/x?a=1&password=hunter2", "hunter2", "password=***")]
    public void Url_credentials_are_masked_and_the_rest_of_the_url_kept(string text, string secret, string kept)
    {
        var redacted = SecretRedaction.Text(text);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(kept, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedaction.Mask, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://models/churn/v1")]
    [InlineData("oci://quay.io/org/model@sha256:abcdef")]
    [InlineData("https://credit-scoring-ml-team.apps.example.com/v2/models?page=2")]
    [InlineData("pvc://models-pvc/mnist")]
    public void Urls_without_credentials_are_untouched(string text)
    {
        Assert.Equal(text, SecretRedaction.Text(text));
    }

    [Fact]
    public void Env_values_are_masked_their_names_kept_and_the_input_manifest_is_not_changed()
    {
        var isvc = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"name":"m","namespace":"ns"},
             "spec":{"predictor":{"model":{"storageUri":"https://u:Pa55w0rdXYZ@h/m","env":[
               {"name":"API_KEY","value":"EnvSecretValue987"},
               {"name":"FROM_SECRET","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]},
               "containers":[{"name":"c","env":[{"name":"OTHER","value":"AnotherValue42"}]}]}}}
            """)!;
        var before = isvc.ToJsonString();

        var shown = Yaml.Serialize((JsonObject)SecretRedaction.Manifest(isvc)!);

        Assert.Equal(before, isvc.ToJsonString());
        foreach (var secret in new[] { "Pa55w0rdXYZ", "EnvSecretValue987", "AnotherValue42" })
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        }

        foreach (var name in new[] { "API_KEY", "FROM_SECRET", "OTHER", "secretKeyRef", "https://***@h/m" })
        {
            Assert.Contains(name, shown, StringComparison.Ordinal);
        }
    }
}
