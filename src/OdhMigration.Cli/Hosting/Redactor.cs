using OdhMigration.Core.Reporting;

namespace OdhMigration.Cli.Hosting;

/// <summary>
/// Last line of defence before a console: masks anything shaped like a credential. The stages never log secret
/// values on purpose; this catches what an API error message might echo back. The rules live in
/// <see cref="SecretRedaction"/>, shared with every report writer, so console and files hide the same things.
/// </summary>
public static class Redactor
{
    public const string Mask = SecretRedaction.Mask;

    public static string Redact(string text) => SecretRedaction.Text(text);
}
