using System.Globalization;
using System.Text;
using System.Xml.Linq;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Validate;

/// <summary>validation-junit.xml (CI test reports) and validation-summary.md (a GitHub job summary) from validation.json.</summary>
public static class ValidationReports
{
    public static string JUnit(Validation validation)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", "odh-validate"),
            new XAttribute("tests", validation.Items.Count),
            new XAttribute("failures", validation.Items.Count(i => !i.Passed)),
            new XAttribute("errors", 0),
            new XAttribute("time", validation.Items.Sum(i => i.Seconds).ToString("0.###", CultureInfo.InvariantCulture)),
            new XAttribute("timestamp", validation.GeneratedAt.ToString("s", CultureInfo.InvariantCulture)));
        foreach (var item in validation.Items)
        {
            var testCase = new XElement("testcase",
                new XAttribute("classname", item.Namespace),
                new XAttribute("name", $"{item.Name} -> {item.TargetNamespace}/{item.TargetName}"),
                new XAttribute("time", item.Seconds.ToString("0.###", CultureInfo.InvariantCulture)));
            if (!item.Passed)
            {
                var details = new StringBuilder(item.Message);
                foreach (var remedy in item.Remedies)
                {
                    details.Append("\nremedy: ").Append(remedy);
                }

                foreach (var c in item.Conditions)
                {
                    details.Append(CultureInfo.InvariantCulture, $"\ncondition {c.Type}={c.Status} {c.Reason}: {c.Message}");
                }

                testCase.Add(new XElement("failure", new XAttribute("type", item.Reason), new XAttribute("message", item.Message), details.ToString()));
            }
            else if (item.Inference is { } inference)
            {
                testCase.Add(new XElement("system-out", $"inference ({inference.Protocol}): {inference.Message}"));
            }

            suite.Add(testCase);
        }

        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite));
        return SecretRedaction.Text(document.Declaration + "\n" + document.Root + "\n");
    }

    public static string Markdown(Validation validation)
    {
        var md = new StringBuilder();
        var verdict = validation.Failed == 0 ? "all passed" : $"{validation.Failed} failed";
        md.AppendLine(CultureInfo.InvariantCulture, $"## InferenceService validation: {validation.Passed} passed, {verdict}");
        md.AppendLine();
        md.AppendLine("| InferenceService | Replacement | Result | Reason | URL |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var item in validation.Items)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| `{item.Namespace}/{item.Name}` | `{item.TargetNamespace}/{item.TargetName}` | {(item.Passed ? "✅ passed" : "❌ failed")} | {Cell(item.Reason)} | {Cell(item.Url ?? "")} |");
        }

        var failures = validation.Items.Where(i => !i.Passed).ToList();
        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("### What to do");
            foreach (var item in failures)
            {
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"**`{item.TargetNamespace}/{item.TargetName}`** ({item.Reason}): {Cell(item.Message)}");
                foreach (var remedy in item.Remedies)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"- {Cell(remedy)}");
                }
            }
        }

        var endpoints = validation.Items.Where(i => i.Endpoint is not null).ToList();
        if (endpoints.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("### Endpoint map for downstream clients");
            md.AppendLine();
            md.AppendLine("| Old URL | New URL | Token Secret (read the token from it) |");
            md.AppendLine("|---|---|---|");
            foreach (var e in endpoints.Select(i => i.Endpoint!))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(e.OldUrl ?? "")} | {Cell(e.NewUrl ?? "")} | {(e.TokenSecret is null ? "(no auth)" : $"`{e.NewNamespace}/{e.TokenSecret}`")} |");
            }
        }

        return SecretRedaction.Text(md.ToString());
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
