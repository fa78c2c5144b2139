using System.Text;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Tests.Commands;
using OdhMigration.Cli.Tests.Process;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Tests.Hostile;

/// <summary>Hostile snapshots through discover: exit 2 naming the file, the line and the limit or field; nothing written.</summary>
public sealed class HostileSnapshotCommandTests
{
    private const string Cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: fraud-detection}\n";

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "billion-laughs", BillionLaughs(), "alias expansion limit of 1,000,000" },
        { "deep-nesting", "---\n" + Cm + "data:\n  x: " + new string('[', 50_000) + new string(']', 50_000) + "\n", "nesting depth limit of 64" },
        { "huge-scalar", "---\n" + Cm + "data:\n  x: \"" + new string('x', (4 * 1024 * 1024) + 1) + "\"\n", "scalar length limit of 4,194,304" },
        { "metadata-hello", "---\napiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: hello\n", "InferenceService: metadata is a String, not a mapping" },
        { "crd-scalar-spec", "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: gadgets.example.com}\nspec: hello\n", "spec is a String, not a mapping" },
        { "duplicate-isvc", "---\napiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: fraud-model, namespace: fraud-detection}\nspec: {predictor: {}}\n", "InferenceService fraud-detection/fraud-model appears twice" },
    };

    private static string BillionLaughs()
    {
        var text = new StringBuilder("---\n" + Cm + "data:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 9; i++)
        {
            text.Append("  a").Append(i).Append(": &a").Append(i).Append(" [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
        }

        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_snapshot_exits_2_naming_file_line_and_limit(string label, string appended, string expected)
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot(appended);
        var result = await box.DiscoverAsync("fraud-detection");
        Assert.True(result.ExitCode == ExitCodes.UsageError, $"{label}: exit {result.ExitCode}\n{result.Stderr}");
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"snapshot\.yaml: line \d+", result.Stderr);
        Assert.False(File.Exists(box.Layout.Inventory));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_names_both_places()
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot("---\n" + Cm + "---\n" + Cm);
        var result = await box.DiscoverAsync("fraud-detection");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Matches(@"snapshot\.yaml: line \d+: ConfigMap fraud-detection/c appears twice in the snapshot \(also .*snapshot\.yaml: line \d+\)", result.Stderr);
    }

    [Fact]
    public async Task Deep_nesting_ends_as_exit_2_in_a_real_process_not_an_abort()
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot("---\n" + Cm + "data:\n  x: " + new string('[', 200_000) + new string(']', 200_000) + "\n");
        var result = await ToolProcess.RunAsync("odh-discover", ["--workspace", box.Workspace, "--snapshot", box.SnapshotPath, "-n", "fraud-detection"]);
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("nesting depth limit of 64", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_min_replicas_is_a_per_item_refusal_in_transform_naming_object_and_field()
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot(HostileSandbox.Isvc("fraud-detection", "bad-replicas", "rt-ok", extraPredictor: "minReplicas: abc"));
        Assert.Equal(ExitCodes.Success, (await box.DiscoverAsync("fraud-detection")).ExitCode);
        Assert.Equal(ExitCodes.Success, (await box.ExportAsync()).ExitCode);

        var transform = await box.TransformAsync();
        Assert.Equal(ExitCodes.PartialFailure, transform.ExitCode);
        Assert.Contains("InferenceService fraud-detection/bad-replicas: spec.predictor.minReplicas is the string 'abc'", transform.Stderr, StringComparison.Ordinal);
        Assert.Contains("planned 1 of 2", transform.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(box.Workspace, "fraud-detection", "bad-replicas", "raw")));
    }

    [Fact]
    public async Task Negative_max_replicas_is_refused_too()
    {
        using var box = new HostileSandbox();
        box.WriteSnapshot(HostileSandbox.Isvc("fraud-detection", "neg", "rt-ok", extraPredictor: "maxReplicas: -3"));
        await box.DiscoverAsync("fraud-detection");
        await box.ExportAsync();
        var transform = await CliHarness.RunAsync(StageCatalog.Transform.CreateRoot, "--workspace", box.Workspace);
        Assert.Equal(ExitCodes.PartialFailure, transform.ExitCode);
        Assert.Contains("spec.predictor.maxReplicas is -3; it must be a whole number, 0 or more", transform.Stderr, StringComparison.Ordinal);
    }
}
