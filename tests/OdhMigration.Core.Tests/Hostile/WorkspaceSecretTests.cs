using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Tests.Transform.ModelMesh;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.Discover.DiscoverFixtures;

namespace OdhMigration.Core.Tests.Hostile;

/// <summary>
/// Workspace documents people read and approve (inventory.json, plan.json, validation.json, the ledger) never hold a
/// credential a storageUri carries or the value of an env entry; the manifests that are applied keep them exactly.
/// </summary>
public sealed class WorkspaceSecretTests
{
    private const string Password = "s3cr3t-Pa55";
    private const string CredentialUri = "https://model-reader:" + Password + "@models.example.com/mnist/model.joblib";

    [Fact]
    public async Task Inventory_masks_the_credentials_of_a_storageUri_it_records()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = new TempWorkspace();
        var snapshot = Snapshot(
            Namespace("p"), Dsci(), Dsc(), ConfigMap("Serverless"), Runtime("mm", "p", multiModel: true),
            Isvc("leaky", "p", mode: "ModelMesh", annotations: "serving.kserve.io/secretKey: localMinIO", storage: $"storageUri: 's3://AKIAEXAMPLEKEY:{Password}@bucket/model.onnx'"));

        await new DiscoverEngine(snapshot, new MemoryStageLog()).RunAsync(new DiscoverOptions { Namespaces = ["p"], SkipPreflight = true }, ws.Layout, ct);

        var text = await File.ReadAllTextAsync(ws.Layout.Inventory, ct);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAEXAMPLEKEY", text, StringComparison.Ordinal);
        var (inventory, consumed) = await WorkspaceDocuments.ReadInventoryAsync(ws.Layout, ct);
        Assert.Equal("s3://***@bucket/model.onnx", Assert.Single(inventory.Items).Facts.StoragePath);
        Assert.Equal(Hashing.Sha256Hex(await File.ReadAllBytesAsync(ws.Layout.Inventory, ct)), consumed.Sha256);
    }

    [Fact]
    public async Task Plan_shows_neither_a_storageUri_credential_nor_an_env_value_but_the_applied_manifests_keep_them()
    {
        var ct = TestContext.Current.CancellationToken;
        using var run = new ModelMeshCaseRunner("upstream-fvt");
        ((JsonObject)run.Case["transform"]!)["storageUris"] = new JsonObject { ["mm-fvt/example-sklearn-isvc"] = CredentialUri };

        var (_, plan) = await run.RunAsync(ct);

        var planText = await File.ReadAllTextAsync(run.Layout.Plan, ct);
        Assert.DoesNotContain(Password, planText, StringComparison.Ordinal);
        Assert.Contains("storageUri set to https://***@models.example.com/mnist/model.joblib", planText.Replace("\\u002B", "+", StringComparison.Ordinal), StringComparison.Ordinal);

        // The MLServer runtime's multi-model env values (MLSERVER_MODELS_DIR=/models/_mlserver_models/) are dropped
        // from the replacement; the plan names the settings, not their values.
        Assert.DoesNotContain("_mlserver_models", planText, StringComparison.Ordinal);
        Assert.Contains("removed multi-model setting MLSERVER_MODELS_DIR", planText, StringComparison.Ordinal);

        var item = Assert.Single(plan.Items, i => i.Name == "example-sklearn-isvc");
        var applied = item.Files.Single(f => f.Kind == "InferenceService");
        var isvc = (JsonObject)Yaml.ParseSingle(await File.ReadAllTextAsync(run.Layout.Absolute(applied.Path), ct), applied.Path)!;
        Assert.Equal(CredentialUri, isvc.At("spec", "predictor", "model").Str("storageUri"));
        var backups = Directory.GetFiles(run.Layout.Original("mm-fvt", "example-sklearn-isvc"), "*servingruntime*");
        Assert.Contains("/models/_mlserver_models/", await File.ReadAllTextAsync(Assert.Single(backups), ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_and_ledger_messages_are_masked_and_their_sha256_is_of_the_written_bytes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ws = new TempWorkspace();
        var quoted = $"failed to download {CredentialUri}: 403";
        var validation = new Validation
        {
            Items =
            [
                new ValidatedItem
                {
                    Namespace = "p", Name = "m", TargetNamespace = "p", TargetName = "m-raw", Reason = "NotReady", Message = quoted,
                    Conditions = [new ValidationCondition("Ready", "False", "ModelLoadFailed", quoted)], Remedies = [quoted],
                },
            ],
        };
        var ledger = new Ledger { Items = [new LedgerItem { Namespace = "p", Name = "m", Error = quoted, Steps = [new LedgerStep { Action = "apply", Error = quoted }] }] };

        var sha = await WorkspaceDocuments.WriteAsync(ws.Layout.Validation, validation, ValidationJsonContext.Default.Validation, ct);
        var ledgerSha = await WorkspaceDocuments.WriteAsync(ws.Layout.Ledger, ledger, LedgerJsonContext.Default.Ledger, ct);

        foreach (var (path, hash) in new[] { (ws.Layout.Validation, sha), (ws.Layout.Ledger, ledgerSha) })
        {
            var bytes = await File.ReadAllBytesAsync(path, ct);
            Assert.DoesNotContain(Password, System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.Equal(Hashing.Sha256Hex(bytes), hash);
        }
    }
}
