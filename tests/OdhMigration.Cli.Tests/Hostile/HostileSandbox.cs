using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Tests.Commands;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Tests.Hostile;

/// <summary>
/// A workspace with a sentinel folder beside it, inside one temporary parent. Everything in the parent except the
/// workspace and the snapshot is fingerprinted before a hostile run and compared after it: a name that escaped the
/// workspace would have written, emptied or deleted something there.
/// </summary>
public sealed class HostileSandbox : IDisposable
{
    public HostileSandbox()
    {
        Parent = Path.Combine(Path.GetTempPath(), "odh-hostile-" + Guid.NewGuid().ToString("N")[..10]);
        Workspace = Path.Combine(Parent, "ws");
        Sentinel = Path.Combine(Parent, "sentinel");
        Directory.CreateDirectory(Workspace);
        Directory.CreateDirectory(Path.Combine(Sentinel, "nested"));
        File.WriteAllText(Path.Combine(Sentinel, "keep.txt"), "must survive");
        File.WriteAllText(Path.Combine(Sentinel, "nested", "keep.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keep, namespace: p}\n");
        Layout = new WorkspaceLayout(Workspace);
        Before = Fingerprint();
    }

    /// <summary>The sample cluster with one good Serverless ISVC (fraud-detection/fraud-model).</summary>
    public static string Sample => File.ReadAllText(Path.Combine(RepoPaths.Samples, "serverless-basic.yaml"));

    public string Parent { get; }
    public string Workspace { get; }
    public string Sentinel { get; }
    public WorkspaceLayout Layout { get; }
    public string Before { get; }
    public string SnapshotPath => Path.Combine(Parent, "snapshot.yaml");

    /// <summary>A Serverless ISVC, its runtime and (optionally) its storage Secret, named as given.</summary>
    public static string Isvc(string ns, string name, string runtime, string? secret = null, string extraPredictor = "") =>
        $$"""
        ---
        apiVersion: serving.kserve.io/v1alpha1
        kind: ServingRuntime
        metadata: {name: {{Quote(runtime)}}, namespace: {{Quote(ns)}}}
        spec:
          supportedModelFormats: [{name: onnx, version: "1"}]
          containers: [{name: kserve-container, image: quay.io/modh/openvino_model_server:stable}]
        ---
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: {{Quote(name)}}
          namespace: {{Quote(ns)}}
          annotations: {serving.kserve.io/deploymentMode: Serverless}
        spec:
          predictor:
            {{extraPredictor}}
            model:
              modelFormat: {name: onnx, version: "1"}
              runtime: {{Quote(runtime)}}
              {{(secret is null ? "storageUri: s3://bucket/model" : $"storage: {{key: {Quote(secret)}, path: m}}")}}

        """ + (secret is null ? "" : $"---\napiVersion: v1\nkind: Secret\nmetadata: {{name: {Quote(secret)}, namespace: {Quote(ns)}}}\ntype: Opaque\n");

    public static string NamespaceDoc(string ns) => $"---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: {Quote(ns)}}}\n";

    /// <summary>A YAML double-quoted scalar; NUL and other control characters as escapes.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\0' => "\\0",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    public void WriteSnapshot(string extra) => File.WriteAllText(SnapshotPath, Sample.TrimEnd() + "\n" + extra);

    public Task<CliHarness.Result> DiscoverAsync(params string[] namespaces) =>
        CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, ["--workspace", Workspace, "--snapshot", SnapshotPath, .. namespaces.Length == 0 ? new[] { "-A" } : namespaces.SelectMany(n => new[] { "-n", n })]);

    public Task<CliHarness.Result> ExportAsync() =>
        CliHarness.RunAsync(StageCatalog.Export.CreateRoot, "--workspace", Workspace, "--snapshot", SnapshotPath);

    public Task<CliHarness.Result> TransformAsync() =>
        CliHarness.RunAsync(StageCatalog.Transform.CreateRoot, "--workspace", Workspace, "--strategy", "side-by-side");

    /// <summary>Marks every inventory item selected, as a hand-edited inventory.json could: the later stages must hold on their own.</summary>
    public void SelectEverythingInInventory()
    {
        var inventory = JsonNode.Parse(File.ReadAllText(Layout.Inventory))!;
        foreach (var item in inventory["items"]!.AsArray())
        {
            item!["selected"] = true;
            item["eligible"] = true;
        }

        File.WriteAllText(Layout.Inventory, inventory.ToJsonString());
    }

    public JsonArray InventoryItems() => JsonNode.Parse(File.ReadAllText(Layout.Inventory))!["items"]!.AsArray();

    public JsonArray ExportItems() => JsonNode.Parse(File.ReadAllText(Layout.Export))!["items"]!.AsArray();

    /// <summary>Every path and file content under the parent except the workspace and the snapshot.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (var entry in Directory.EnumerateFileSystemEntries(Parent, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            if (entry.StartsWith(Workspace + Path.DirectorySeparatorChar, StringComparison.Ordinal) || entry == Workspace || entry == SnapshotPath)
            {
                continue;
            }

            text.Append(entry).Append('\n');
            if (File.Exists(entry))
            {
                text.Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)))).Append('\n');
            }
        }

        return text.ToString();
    }

    public void AssertNothingOutsideChanged() => Assert.Equal(Before, Fingerprint());

    public void Dispose()
    {
        try
        {
            Directory.Delete(Parent, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
