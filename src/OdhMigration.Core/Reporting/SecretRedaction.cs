using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OdhMigration.Core.Reporting;

/// <summary>
/// The one place that decides what a human may see. Every report writer (report.md, report.html, the validation
/// summaries, the pipeline summary) and the console (gate output, logs) pass their text through here: credentials in
/// URLs (user:password@, signature and token query parameters), bearer tokens, JWTs, "password: x" pairs, and the
/// values of container env entries are replaced by <see cref="Mask"/>; names stay, so a reader still sees which
/// setting is there. Manifests that are applied never go through this: the replacement keeps its real storageUri.
/// </summary>
public static partial class SecretRedaction
{
    public const string Mask = "***";

    /// <summary>Query parameters that carry a credential (pre-signed S3/GCS URLs, Azure SAS, tokens in links).</summary>
    private const string CredentialParameters =
        "x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|sig|signature|token|access_token|id_token|refresh_token|password|passwd|pwd|secret|client_secret|api_key|apikey|key|sas|credential|auth";

    public static string Text(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = UserInfoPattern().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        text = QueryParameterPattern().Replace(text, m => m.Groups["name"].Value + "=" + Mask);
        text = BearerPattern().Replace(text, "Bearer " + Mask);
        text = JwtPattern().Replace(text, Mask);
        return KeyValuePattern().Replace(text, m => m.Groups["key"].Value + m.Groups["sep"].Value + Mask);
    }

    /// <summary>
    /// A copy of a manifest fit to show: every env entry keeps its name and loses its value (valueFrom only names a
    /// Secret or ConfigMap key, so it stays), and every string value goes through <see cref="Text"/>.
    /// </summary>
    public static JsonNode? Manifest(JsonNode? manifest)
    {
        var copy = manifest?.DeepClone();
        Scrub(copy);
        return copy;
    }

    private static void Scrub(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "env" && value is JsonArray entries)
                    {
                        foreach (var entry in entries.OfType<JsonObject>().Where(e => e.ContainsKey("value")))
                        {
                            entry["value"] = Mask;
                        }
                    }

                    if (value is JsonValue leaf && leaf.TryGetValue<string>(out var text))
                    {
                        var redacted = Text(text);
                        if (!ReferenceEquals(redacted, text) && redacted != text)
                        {
                            obj[key] = redacted;
                        }
                    }
                    else
                    {
                        Scrub(value);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue leaf && leaf.TryGetValue<string>(out var text))
                    {
                        var redacted = Text(text);
                        if (redacted != text)
                        {
                            array[i] = redacted;
                        }
                    }
                    else
                    {
                        Scrub(array[i]);
                    }
                }

                break;
        }
    }

    /// <summary>scheme://user:password@host: the whole userinfo goes (a user name can be an access key id too).</summary>
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?<userinfo>[^/?#@\s""'<>]+)@")]
    private static partial Regex UserInfoPattern();

    [GeneratedRegex(@"(?<=[?&;])(?<name>" + CredentialParameters + @")=(?<value>[^&#\s""'<>]+)", RegexOptions.IgnoreCase)]
    private static partial Regex QueryParameterPattern();

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9._~+/=-]+", RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")]
    private static partial Regex JwtPattern();

    [GeneratedRegex(@"(?<key>""?(token|password|secret_access_key|AWS_SECRET_ACCESS_KEY|access_key_id|AWS_ACCESS_KEY_ID|client-key-data|ca\.crt)""?)(?<sep>\s*[:=]\s*)(?!""?\*\*\*)""?[^\s"",}&]+""?", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePattern();
}
