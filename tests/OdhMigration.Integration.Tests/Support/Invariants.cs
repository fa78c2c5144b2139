using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Integration.Tests.Support;

/// <summary>The safety promises that must hold after any interrupted or failed run.</summary>
public static class Invariants
{
    /// <summary>Every planned ISVC is served by its original (present, not terminating) or by a replacement that becomes Ready.</summary>
    public static async Task EveryIsvcIsServedAsync(ICluster cluster, Plan plan, Func<string>? context = null)
    {
        foreach (var item in plan.Items.Where(i => i.Status == "ok"))
        {
            var original = await cluster.GetAsync(Kinds.InferenceService, item.Namespace, item.Name);
            var isOriginal = original is not null && original.At("metadata", "deletionTimestamp") is null
                && DeploymentMode(original) != "RawDeployment";
            if (isOriginal && item.Strategy != "in-place")
            {
                continue;
            }

            if (isOriginal)
            {
                continue;
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var replacement = await new ReadinessWaiter(cluster, TimeSpan.FromMilliseconds(100)).WaitAsync(item.TargetNamespace, item.TargetName, deadline.Token);
            Assert.True(replacement is not null && IsvcDiagnosis.IsServing(replacement),
                $"{item.Namespace}/{item.Name} is served by neither its original nor a Ready replacement {item.TargetNamespace}/{item.TargetName}\n{context?.Invoke()}");
        }
    }

    /// <summary>Every object the ledger says was deleted has its backup on disk, and the backup parses.</summary>
    public static async Task EveryDeletionHasABackupAsync(WorkspaceLayout layout, Plan plan)
    {
        var ledger = await LedgerStore.LoadAsync(layout);
        foreach (var item in ledger?.Items ?? [])
        {
            var planItem = plan.Items.FirstOrDefault(i => i.Namespace == item.Namespace && i.Name == item.Name);
            foreach (var step in item.Steps.Where(s => s.Action == LedgerActions.DeleteOriginal))
            {
                Assert.NotNull(planItem);
                var deletion = planItem.DeleteBeforeApply.Concat(planItem.DeleteOnCleanup).FirstOrDefault(d => d.Kind == step.Kind && d.Name == step.Name);
                Assert.NotNull(deletion);
                Assert.True(File.Exists(layout.Absolute(deletion.BackupFile!)), $"{step.Kind} {step.Namespace}/{step.Name} was deleted without a backup on disk");
                BackupFile.Load(layout, deletion.BackupFile, deletion.Kind, deletion.Namespace ?? item.Namespace, deletion.Name);
            }
        }
    }

    private static string? DeploymentMode(System.Text.Json.Nodes.JsonObject isvc) =>
        OdhMigration.Core.Modes.DeploymentMode.Normalise(isvc.Annotation(OdhMigration.Core.Modes.DeploymentMode.AnnotationKey));
}
