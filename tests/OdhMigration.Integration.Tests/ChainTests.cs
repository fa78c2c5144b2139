using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests;

/// <summary>discover -> export -> transform -> apply -> validate -> cleanup, live against the simulator.</summary>
public sealed class ChainTests
{
    [Theory]
    [InlineData("serverless-team.yaml", "ml-team", "serverless", "side-by-side", null)]
    [InlineData("serverless-team.yaml", "ml-team", "serverless", "in-place", null)]
    [InlineData("modelmesh-team.yaml", "mm-models", "modelmesh", "new-namespace", "mm-raw")]
    [InlineData("modelmesh-team.yaml", "mm-models", "modelmesh", "in-place", null)]
    public async Task The_whole_chain_migrates_and_cleans_up(string sample, string ns, string mode, string strategy, string? target)
    {
        if (mode == "modelmesh" && !TransformerCatalog.All.Any(t => t.Mode == "ModelMesh"))
        {
            Assert.Skip("ModelMesh transform not available");
        }

        await using var sim = await SimulatedCluster.StartSampleAsync(sample);
        using var pipeline = new Pipeline(sim);

        var transform = await pipeline.PrepareAsync(ns, mode, strategy, target);
        var plan = await pipeline.PlanAsync();
        var planned = plan.Items.Where(i => i.Status == "ok").ToList();
        Assert.True(planned.Count > 0, $"transform planned nothing ({transform.Summary}):\n{pipeline.Logs}");

        var apply = await pipeline.ApplyAsync();
        Assert.True(apply.ExitCode == ExitCodes.Success, $"apply: {apply.Summary}\n{pipeline.Logs}");
        var validate = await pipeline.ValidateAsync();
        Assert.True(validate.ExitCode == ExitCodes.Success, $"validate: {validate.Summary}\n{pipeline.Logs}");
        var cleanup = await pipeline.CleanupAsync(validate.Results["validation-sha256"]);
        Assert.True(cleanup.ExitCode == ExitCodes.Success, $"cleanup: {cleanup.Summary}\n{pipeline.Logs}");

        foreach (var item in planned)
        {
            var replacement = await sim.Cluster.GetAsync(Kinds.InferenceService, item.TargetNamespace, item.TargetName);
            Assert.NotNull(replacement);
            Assert.True(IsvcDiagnosis.IsServing(replacement), $"{item.TargetNamespace}/{item.TargetName} is not serving after cleanup");
            // An in-place original has the replacement's name: only originals elsewhere must be gone.
            foreach (var deletion in item.DeleteOnCleanup.Where(d => d.Kind == "InferenceService" && (d.Namespace, d.Name) != (item.TargetNamespace, item.TargetName)))
            {
                Assert.Null(await sim.Cluster.GetAsync(Kinds.InferenceService, deletion.Namespace, deletion.Name));
                Assert.True(File.Exists(pipeline.Layout.Absolute(deletion.BackupFile!)));
            }
        }

        // Every live stage records the sha256 of each document it read, as the offline ones do.
        var ct = TestContext.Current.CancellationToken;
        async Task<(string Path, string Sha)> Doc(string path) => (pipeline.Layout.Relative(path), await OdhMigration.Core.Workspace.Hashing.Sha256FileAsync(path, ct));
        var (ledger, _) = await OdhMigration.Core.Workspace.WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Ledger, OdhMigration.Core.Workspace.Documents.Ledger.DocumentKind, OdhMigration.Core.Workspace.Documents.Ledger.CurrentSchemaVersion, OdhMigration.Core.Workspace.Documents.LedgerJsonContext.Default.Ledger, ct);
        Assert.Equal([await Doc(pipeline.Layout.Plan), await Doc(pipeline.Layout.Inventory)], ledger.Consumed.Select(c => (c.Path, c.Sha256)));
        var (validation, _) = await OdhMigration.Core.Workspace.WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Validation, OdhMigration.Core.Workspace.Documents.Validation.DocumentKind, OdhMigration.Core.Workspace.Documents.Validation.CurrentSchemaVersion, OdhMigration.Core.Workspace.Documents.ValidationJsonContext.Default.Validation, ct);
        Assert.Equal([await Doc(pipeline.Layout.Plan), await Doc(pipeline.Layout.Ledger)], validation.Consumed.Select(c => (c.Path, c.Sha256)));
        var (cleanupReport, _) = await OdhMigration.Core.Workspace.WorkspaceDocuments.ReadAsync(pipeline.Layout, pipeline.Layout.Cleanup, OdhMigration.Core.Workspace.Documents.CleanupReport.DocumentKind, OdhMigration.Core.Workspace.Documents.CleanupReport.CurrentSchemaVersion, OdhMigration.Core.Workspace.Documents.CleanupReportJsonContext.Default.CleanupReport, ct);
        Assert.Equal([await Doc(pipeline.Layout.Plan), await Doc(pipeline.Layout.Validation), await Doc(pipeline.Layout.Inventory)], cleanupReport.Consumed.Select(c => (c.Path, c.Sha256)));

        // Re-running every stage is a no-op that still succeeds.
        Assert.Equal(ExitCodes.Success, (await pipeline.ApplyAsync()).ExitCode);
        Assert.Equal(ExitCodes.Success, (await pipeline.CleanupAsync()).ExitCode);
    }
}
