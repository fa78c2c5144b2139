namespace OdhMigration.DeliveryGen;

/// <summary>
/// What the delivery files need to know about a stage beyond its options: the Tekton results it writes with
/// --result-dir (kept tiny: counts, verdict, artifact sha256) and the ServiceAccount it runs as.
/// </summary>
public sealed record StageDelivery(string Stage, string ServiceAccount, IReadOnlyList<(string Name, string Description)> Results)
{
    public const string Version = "0.1.0";
    public const string ImageRepository = "ghcr.io/odh-migration-tasks";

    public string Tool => $"odh-{Stage}";

    public string DefaultImage => $"{ImageRepository}/{Tool}:{Version}";

    private static readonly (string, string) Verdict = ("verdict", "succeeded, partially-failed, usage-error, refused or failed");

    public static readonly IReadOnlyList<StageDelivery> All =
    [
        new("discover", "odh-migration-discover", [Verdict, ("discovered", "InferenceServices found in scope"), ("eligible", "InferenceServices that can be migrated"), ("selected", "InferenceServices selected for migration"), ("inventory-sha256", "sha256 of inventory.json")]),
        new("export", "odh-migration-export", [Verdict, ("exported", "InferenceServices saved with their dependencies"), ("failed", "InferenceServices that could not be exported"), ("export-sha256", "sha256 of export.json")]),
        new("transform", "odh-migration-transform", [Verdict, ("planned", "InferenceServices with RawDeployment manifests in the plan"), ("refused", "InferenceServices the transform refused"), ("plan-sha256", "sha256 of plan.json; the apply gate shows it and apply verifies it"), ("plan-summary", "One line per InferenceService (strategy, objects created and deleted, warnings), cut to fit the result size limit; the apply gate shows it")]),
        new("apply", "odh-migration-apply", [Verdict, ("applied", "InferenceServices created from the plan"), ("failed", "InferenceServices whose apply failed"), ("ledger-sha256", "sha256 of ledger.json")]),
        new("validate", "odh-migration-validate", [Verdict, ("passed", "migrated InferenceServices that passed validation"), ("failed", "migrated InferenceServices that failed validation"), ("validation-sha256", "sha256 of validation.json; the cleanup gate shows it and cleanup verifies it"), ("validation-summary", "One line per migrated InferenceService (passed, or why it failed), cut to fit the result size limit; the cleanup gate shows it")]),
        new("cleanup", "odh-migration-cleanup", [Verdict, ("deleted", "originals this run deleted"), ("already-absent", "originals already gone before this run looked"), ("failed", "originals whose deletion failed"), ("cleanup-sha256", "sha256 of cleanup.json")]),
        new("dsc-finalize", "odh-migration-dsc-finalize", [Verdict, ("changed", "cluster objects changed (or that would change, with dry-run)"), ("finalize-sha256", "sha256 of finalize.json"), ("finalize-plan-sha256", "sha256 of finalize-plan.json (what the run changes); the finalize gate shows the dry run's and the real run verifies it")]),
        new("rollback", "odh-migration-rollback", [Verdict, ("rolled-back", "InferenceServices whose migration was reversed"), ("failed", "InferenceServices refused or not fully rolled back"), ("rollback-sha256", "sha256 of rollback.json"), ("rollback-plan-sha256", "sha256 of rollback-plan.json (what the run undoes); the rollback gate shows the dry run's and the real run verifies it"), ("rollback-summary", "One line per InferenceService (replacements deleted, originals recreated, labels restored, or why it is refused), cut to fit the result size limit; the rollback gate shows it")]),
    ];

    public static StageDelivery Of(string stage) => All.Single(s => s.Stage == stage);
}
