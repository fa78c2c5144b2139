using System.CommandLine;
using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// odh-migrate pipelineruns: for each namespace in inventory.json with InferenceServices selected for migration, the
/// set-up it needs once (its workspace PVC, which no run owns, and its RoleBindings) and a PipelineRun with a
/// generateName, so every try is a new run on the same PVC. With --resume-from, a Pending run of the split
/// pipeline's apply or cleanup part instead, carrying the sha256 the failed run's gate approved.
/// </summary>
public static class PipelineRunsCommand
{
    public const string Description = "Write, per namespace with InferenceServices selected in inventory.json, its workspace PVC and RoleBindings (setup/, kubectl apply) and a migrate-namespace PipelineRun (runs/, kubectl create); --resume-from apply|cleanup writes a resumed run instead, --rollback a rollback-namespace run.";

    public static Command Create(CliIo io)
    {
        var workspace = WorkspaceOptions.Workspace();
        var outDir = new Option<string?>("--out-dir") { Description = "Write setup/<namespace>.yaml (PVC and RoleBindings) and runs/<namespace>.yaml (PipelineRun) here instead of printing everything to stdout" };
        var approvers = new Option<string[]>("--approvers") { Description = "Who may approve the gates: user names or group:<name> (comma-separated, repeatable; required). Prefer one fixed group that does not include whoever creates the runs" };
        var approvalsRequired = new Option<int>("--approvals-required") { Description = "Approvals each gate needs", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var pipeline = new Option<string>("--pipeline") { Description = "Name of the Pipeline to run", DefaultValueFactory = _ => PipelineRunBuilder.DefaultPipeline };
        var accountPrefix = new Option<string>("--service-account-prefix") { Description = "Each stage runs as <prefix><stage> (tekton/rbac/)", DefaultValueFactory = _ => PipelineRunBuilder.DefaultAccountPrefix };
        var pipelinesNamespace = new Option<string>("--pipelines-namespace") { Description = "Namespace of the Pipelines, ServiceAccounts, PVCs and runs", DefaultValueFactory = _ => PipelineRunBuilder.DefaultPipelinesNamespace };
        var storageSize = new Option<string>("--storage-size") { Description = "Size of each namespace's workspace PVC", DefaultValueFactory = _ => "1Gi" };
        var storageClass = new Option<string?>("--storage-class") { Description = "StorageClass of the workspace PVC (default: the cluster's default; prefer one with reclaimPolicy Retain)" };
        var strategy = TransformChoiceOptions.Strategy();
        var images = new Option<string[]>("--image")
        {
            Description = $"Image of one tool as <tool>=<reference>, pinned by digest (e.g. discover=<repository>/odh-discover@sha256:<digest>); repeatable; tools: {string.Join(", ", PipelineRunBuilder.ImageTools)} (migrate runs the summary and reports); default: the pipeline's",
        };
        // Not transform's --target-namespace: one pipelineruns call writes runs for many namespaces, so the target is
        // a template with {namespace}, which transform's option (one literal namespace) does not accept.
        var target = new Option<string?>("--target-namespace-template") { Description = $"The target namespace each run passes to transform for the new-namespace strategy (ModelMesh's default): a name, or a template where {StrategyGrants.TargetPlaceholder} stands for each source namespace, e.g. {StrategyGrants.TargetPlaceholder}-raw. The setup then binds the stages in the target too" };
        var only = ScopeOptions.Namespace();
        var resumeFrom = new Option<string?>("--resume-from") { Description = "Resume a failed run on the same PVC: apply (apply and validate again; apply resumes from its ledger) or cleanup. Writes a Pending run of the split pipeline's part" };
        resumeFrom.AcceptOnlyFromAmong([.. PipelineRunBuilder.ResumePoints.Keys]);
        var wave = WaveOptions.Wave();
        var planWaves = WaveOptions.Waves();
        var planWaveSize = WaveOptions.WaveSize();
        var planWaveOrder = WaveOptions.WaveOrder();
        var rollback = new Option<bool>("--rollback") { Description = $"Write, per namespace, a {RollbackRuns.Pipeline} run instead (rollback --dry-run, an approval gate bound to the rollback plan's sha256, rollback) on the namespace's workspace PVC, with the grants of tekton/rbac/optional/rollback.yaml it needs" };
        var allWaves = new Option<bool>("--all-waves") { Description = "From plan.json in the workspace (transform --waves auto or --wave-size N): one full run per wave and namespace, each selecting only that wave's InferenceServices (runs/<ns>-w<K>.yaml), to be created one after the other" };
        var stopOriginal = ApplyChoiceOptions.StopOriginal();
        var approvedSha = new Option<string?>("--approved-sha256") { Description = "With --resume-from: the plan-sha256 (apply) or validation-sha256 (cleanup) the failed run's gate approved" };

        var command = new Command("pipelineruns", Description);
        foreach (var option in new Option[] { workspace, outDir, approvers, approvalsRequired, pipeline, accountPrefix, pipelinesNamespace, storageSize, storageClass, strategy, target, images, only, resumeFrom, approvedSha, wave, planWaves, planWaveSize, planWaveOrder, rollback, allWaves, stopOriginal })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var path = parse.GetValue(workspace);
                if (string.IsNullOrWhiteSpace(path))
                {
                    throw new UsageException($"--workspace is required (or set {CommonOptions.WorkspaceEnvironmentVariable})");
                }

                var settings = new PipelineRunSettings(
                    Pipeline: parse.GetValue(pipeline) ?? PipelineRunBuilder.DefaultPipeline,
                    Approvers: OptionParsing.NameList(parse.GetValue(approvers)),
                    ApprovalsRequired: parse.GetValue(approvalsRequired),
                    AccountPrefix: parse.GetValue(accountPrefix) ?? PipelineRunBuilder.DefaultAccountPrefix,
                    StorageSize: parse.GetValue(storageSize) ?? "1Gi",
                    StorageClass: parse.GetValue(storageClass),
                    Strategy: parse.GetValue(strategy),
                    Images: PipelineRunBuilder.ParseImages(parse.GetValue(images)))
                {
                    PipelinesNamespace = parse.GetValue(pipelinesNamespace) ?? PipelineRunBuilder.DefaultPipelinesNamespace,
                    Namespace = ScopeOptions.Single(parse.GetValue(only)),
                    ResumeFrom = parse.GetValue(resumeFrom),
                    ApprovedSha256 = parse.GetValue(approvedSha),
                    TargetNamespace = parse.GetValue(target),
                    Wave = parse.GetValue(wave),
                    PlanWaves = parse.GetValue(planWaves),
                    PlanWaveSize = parse.GetValue(planWaveSize),
                    PlanWaveOrder = parse.GetValue(planWaveOrder),
                    StopOriginal = parse.GetValue(stopOriginal) ? true : null,
                };
                var (inventory, _) = await WorkspaceDocuments.ReadInventoryAsync(new WorkspaceLayout(path), ct).ConfigureAwait(false);
                var rollingBack = parse.GetValue(rollback);
                if (rollingBack)
                {
                    PipelineRunBuilder.RefuseStopOriginal(settings, "--rollback");
                }

                if (parse.GetValue(allWaves))
                {
                    if (rollingBack)
                    {
                        throw new UsageException("--rollback reverses everything the namespace's migration applied (every wave); --all-waves does not apply");
                    }

                    var (plan, _) = await WorkspaceDocuments.ReadPlanAsync(new WorkspaceLayout(path), ct).ConfigureAwait(false);
                    var (setup, runs, width) = PipelineRunWaves.Build(inventory, plan, settings);
                    await PipelineRunWaves.WriteAsync(setup, runs, width, parse.GetValue(outDir), io, ct).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var migrations = rollingBack ? RollbackRuns.Build(inventory, settings) : PipelineRunBuilder.Build(inventory, settings);
                if (migrations.Count == 0)
                {
                    var which = settings.Namespace is null ? "no namespace" : $"namespace {settings.Namespace}: none";
                    await io.Stderr.WriteLineAsync($"pipelineruns: {which} in inventory.json has an InferenceService selected for migration; nothing written").ConfigureAwait(false);
                    return settings.Namespace is null ? ExitCodes.Success : ExitCodes.UsageError;
                }

                var outputDir = parse.GetValue(outDir);
                await PipelineRunFiles.WriteAsync(migrations, [.. migrations.Select(m => (m.Namespace + ".yaml", m.Run))], outputDir, io, ct).ConfigureAwait(false);

                var kind = rollingBack ? $"{RollbackRuns.Pipeline} PipelineRun(s)" : settings.ResumeFrom is { } resume ? $"Pending resume-from-{resume} PipelineRun(s)" : "PipelineRun(s)";
                await io.Stderr.WriteLineAsync($"pipelineruns: {migrations.Count} {kind}, workspace PVC(s), RoleBindings and the strategy's grants for {string.Join(", ", migrations.Select(r => r.Namespace))}").ConfigureAwait(false);
                if (outputDir is not null)
                {
                    await io.Stderr.WriteLineAsync($"pipelineruns: kubectl apply -f {Path.Combine(outputDir, "setup")}  (idempotent), then kubectl create -f {Path.Combine(outputDir, "runs")}  (a new run per try)").ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }
            catch (UsageException ex)
            {
                await io.Stderr.WriteLineAsync($"error: {Redactor.Redact(ex.Message)}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
            catch (IOException ex)
            {
                await io.Stderr.WriteLineAsync($"error: {Redactor.Redact(ex.Message)}").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }
        });
        return command;
    }
}
