using System.Text.RegularExpressions;

namespace OdhMigration.Cli.Hosting;

/// <summary>
/// Last line of defence: masks anything shaped like a credential before it reaches a console. The stages never
/// log secret values on purpose; this catches what an API error message might echo back.
/// </summary>
public static partial class Redactor
{
    public const string Mask = "[REDACTED]";

    public static string Redact(string text)
    {
        text = BearerPattern().Replace(text, "Bearer " + Mask);
        text = JwtPattern().Replace(text, Mask);
        return KeyValuePattern().Replace(text, m => m.Groups["key"].Value + m.Groups["sep"].Value + Mask);
    }

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9._~+/=-]+", RegexOptions.IgnoreCase)]
    private static partial Regex BearerPattern();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")]
    private static partial Regex JwtPattern();

    [GeneratedRegex(@"(?<key>""?(token|password|secret_access_key|AWS_SECRET_ACCESS_KEY|access_key_id|AWS_ACCESS_KEY_ID|client-key-data|ca\.crt)""?)(?<sep>\s*[:=]\s*)""?[^\s"",}]+""?", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePattern();
}
