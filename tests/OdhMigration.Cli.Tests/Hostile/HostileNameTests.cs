using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Tests.Hostile;

/// <summary>
/// Names that are paths (<c>../</c>, absolute, NUL) in a snapshot: discover blocks the ISVC, and even a hand-edited
/// inventory that selects it cannot make export or transform touch anything outside the workspace. The good ISVC
/// beside it goes on every time.
/// </summary>
public sealed class HostileNameTests
{
    private const string GoodIsvc = "fraud-model";

    [Theory]
    [InlineData("isvc-dotdot", "fraud-detection", "../../sentinel", "rt-ok", null)]
    [InlineData("isvc-nul", "fraud-detection", "a\0b", "rt-ok", null)]
    [InlineData("isvc-slash", "fraud-detection", "x/../../../sentinel/nested", "rt-ok", null)]
    [InlineData("runtime-dotdot", "fraud-detection", "uses-bad-runtime", "../../../sentinel/rt", null)]
    public async Task A_path_like_isvc_or_runtime_name_is_blocked_in_discover_and_refused_in_export(string label, string ns, string name, string runtime, string? secret)
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot(HostileSandbox.Isvc(ns, name, runtime, secret));

        var discover = await box.DiscoverAsync("fraud-detection");
        Assert.True(discover.ExitCode == ExitCodes.Success, label + ": " + discover.Stderr);
        var bad = box.InventoryItems().Single(i => i!["name"]!.GetValue<string>() == name)!;
        Assert.False(bad["selected"]!.GetValue<bool>());
        Assert.Contains("the API server refuses such a name", bad["blockers"]!.ToJsonString(), StringComparison.Ordinal);

        box.SelectEverythingInInventory();
        var export = await box.ExportAsync();
        Assert.Equal(ExitCodes.PartialFailure, export.ExitCode);
        Assert.Contains("exported 1 of 2", export.Stdout, StringComparison.Ordinal);
        var failed = box.ExportItems().Single(i => i!["name"]!.GetValue<string>() == name)!;
        var error = failed["error"]!.GetValue<string>();
        Assert.Contains(name == "uses-bad-runtime" ? "ServingRuntime 'fraud-detection/../../../sentinel/rt'" : "InferenceService 'fraud-detection/", error, StringComparison.Ordinal);
        Assert.Contains("never used as a workspace path", error, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", export.Stderr, StringComparison.Ordinal);

        var transform = await box.TransformAsync();
        Assert.Equal(ExitCodes.PartialFailure, transform.ExitCode);
        Assert.Contains("planned 1 of 2", transform.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(box.Workspace, "fraud-detection", GoodIsvc, "raw", "60-inferenceservice-fraud-model-raw.yaml")));
        box.AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task An_absolute_isvc_name_never_writes_where_it_points()
    {
        using var box = new HostileSandbox();
        var target = Path.Combine(box.Parent, "abs-target");
        box.WriteSnapshot(HostileSandbox.Isvc("fraud-detection", target, "rt-ok"));
        await box.DiscoverAsync("fraud-detection");
        box.SelectEverythingInInventory();

        var export = await box.ExportAsync();

        // The fingerprint first: it is the property that matters, whatever the exit code says.
        box.AssertNothingOutsideChanged();
        Assert.False(Path.Exists(target));
        Assert.Equal(ExitCodes.PartialFailure, export.ExitCode);
        Assert.Contains($"metadata.name '{target}'", box.ExportItems().Single(i => i!["status"]!.GetValue<string>() == "failed")!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../sentinel")]
    [InlineData("..")]
    public async Task A_path_like_namespace_fails_its_items_and_the_other_namespace_goes_on(string ns)
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot(HostileSandbox.NamespaceDoc(ns) + HostileSandbox.Isvc(ns, "m", "rt"));

        var discover = await box.DiscoverAsync();
        Assert.Equal(ExitCodes.Success, discover.ExitCode);
        Assert.Contains("metadata.namespace", box.InventoryItems().Single(i => i!["namespace"]!.GetValue<string>() == ns)!["blockers"]!.ToJsonString(), StringComparison.Ordinal);

        box.SelectEverythingInInventory();
        var export = await box.ExportAsync();
        Assert.Equal(ExitCodes.PartialFailure, export.ExitCode);
        Assert.Contains($"Namespace '{ns}'", export.Stderr, StringComparison.Ordinal);
        Assert.Contains("exported 1 of 2", export.Stdout, StringComparison.Ordinal);
        box.AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task A_path_like_secret_name_fails_only_its_isvc_in_export()
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot(HostileSandbox.Isvc("fraud-detection", "secret-user", "rt-ok", secret: "../../../../sentinel/nested/keep"));

        Assert.Equal(ExitCodes.Success, (await box.DiscoverAsync("fraud-detection")).ExitCode);
        var export = await box.ExportAsync();
        Assert.Equal(ExitCodes.PartialFailure, export.ExitCode);
        var error = box.ExportItems().Single(i => i!["name"]!.GetValue<string>() == "secret-user")!["error"]!.GetValue<string>();
        Assert.Contains("Secret 'fraud-detection/../../../../sentinel/nested/keep'", error, StringComparison.Ordinal);
        Assert.Equal("ok", box.ExportItems().Single(i => i!["name"]!.GetValue<string>() == "fraud-model")!["status"]!.GetValue<string>());
        box.AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task A_symbolic_link_in_the_workspace_is_refused_and_its_target_left_alone()
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot(HostileSandbox.Isvc("fraud-detection", "second", "rt-ok"));
        await box.DiscoverAsync("fraud-detection");
        Assert.Equal(ExitCodes.Success, (await box.ExportAsync()).ExitCode);

        // transform empties raw/ before writing it: through a link that would empty the sentinel.
        var raw = Path.Combine(box.Workspace, "fraud-detection", "second", "raw");
        Directory.CreateSymbolicLink(raw, box.Sentinel);
        var transform = await box.TransformAsync();
        Assert.Equal(ExitCodes.PartialFailure, transform.ExitCode);
        Assert.Contains("fraud-detection/second/raw in workspace", transform.Stderr, StringComparison.Ordinal);
        Assert.Contains("symbolic link", transform.Stderr, StringComparison.Ordinal);
        Assert.Contains("planned 1 of 2", transform.Stdout, StringComparison.Ordinal);
        box.AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task An_export_json_path_outside_the_workspace_is_never_read()
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot("");
        await box.DiscoverAsync("fraud-detection");
        Assert.Equal(ExitCodes.Success, (await box.ExportAsync()).ExitCode);

        // Point the ISVC's recorded file at the sentinel, with the sentinel's own sha256 so only the path check can stop it.
        var export = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(box.Layout.Export))!;
        var file = export["items"]![0]!["files"]!.AsArray().First(f => f!["role"]!.GetValue<string>() == "isvc")!;
        file["path"] = "../sentinel/nested/keep.yaml";
        file["sha256"] = Core.Workspace.Hashing.Sha256Hex(File.ReadAllText(Path.Combine(box.Sentinel, "nested", "keep.yaml")));
        File.WriteAllText(box.Layout.Export, export.ToJsonString());

        var transform = await box.TransformAsync();
        Assert.Equal(ExitCodes.PartialFailure, transform.ExitCode);
        Assert.Contains("'../sentinel/nested/keep.yaml' leads outside the workspace", transform.Stderr, StringComparison.Ordinal);
        box.AssertNothingOutsideChanged();
    }
}
