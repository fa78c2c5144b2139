using System.Text.Json.Nodes;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Tests.TestDoubles;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Core.Tests.Reporting;

/// <summary>The before/after diff both report formats show: env values and URL credentials masked on both sides, names kept.</summary>
public sealed class ReportDiffRedactionTests : IDisposable
{
    private const string OriginalEnvValue = "OriginalEnvValue123";
    private const string AddedEnvValue = "AddedEnvValue456";
    private const string Password = "Pa55w0rdXYZ";

    private readonly PlanWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private static JsonObject WithEnv(JsonObject isvc, params (string Name, string Value)[] env)
    {
        var model = isvc["spec"]!["predictor"]!["model"]!.AsObject();
        model["storageUri"] = $"https://reader:{Password}@minio.example.com/models/m";
        model["env"] = new JsonArray(env.Select(e => (JsonNode)new JsonObject { ["name"] = e.Name, ["value"] = e.Value }).ToArray());
        return isvc;
    }

    [Fact]
    public async Task Changed_and_unchanged_env_entries_show_their_names_and_never_their_values_in_md_or_html()
    {
        var original = WithEnv(Isvc("ns1", "m1", uid: "u-m1"), ("MODEL_TOKEN", OriginalEnvValue));
        var replacement = WithEnv(Isvc("ns1", "m1-raw", "RawDeployment"), ("MODEL_TOKEN", OriginalEnvValue), ("ADDED_SETTING", AddedEnvValue));
        _ws.Add("ns1", "m1", "side-by-side", [replacement], original);
        await _ws.WriteAsync();

        var model = await ReportLoader.LoadAsync(_ws.Layout);
        var diff = Assert.Single(model.Isvcs).Diff!;
        var markdown = MarkdownReport.Render(model);
        var html = HtmlReport.Render(model);

        Assert.Contains("+      - name: ADDED_SETTING", diff, StringComparison.Ordinal);
        foreach (var (name, text) in new[] { ("diff", diff), ("report.md", markdown), ("report.html", html) })
        {
            foreach (var secret in new[] { OriginalEnvValue, AddedEnvValue, Password })
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{name} shows {secret}:\n{text}");
            }

            Assert.Contains("MODEL_TOKEN", text, StringComparison.Ordinal);
            Assert.Contains("ADDED_SETTING", text, StringComparison.Ordinal);
        }

        // The applied file itself is untouched: apply must send the real values.
        var applied = await File.ReadAllTextAsync(_ws.Layout.Absolute(model.Plan!.Items.Single().Files.Single().Path));
        Assert.Contains(AddedEnvValue, applied, StringComparison.Ordinal);
        Assert.Contains(Password, applied, StringComparison.Ordinal);
    }
}
