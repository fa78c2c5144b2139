namespace OdhMigration.Cli.Commands;

/// <summary>Every stage, in pipeline order. Tools, the umbrella, the Tekton tests and the docs all read this list.</summary>
/// <remarks>
/// Each stage is a property that builds its definition on access, never a static field: a static initializer would
/// put every stage's factory in one type initializer, and Native AOT would then link all seven commands, their
/// engines and the cluster client into every single-stage tool. This way odh-transform holds only transform; only
/// <see cref="All"/> (the umbrella, the delivery generator) reaches every stage. Definitions compare by value.
/// </remarks>
public static class StageCatalog
{
    public static StageDefinition Discover => new("discover", DiscoverCommand.Description, DiscoverCommand.Create);

    public static StageDefinition Export => new("export", ExportCommand.Description, ExportCommand.Create);

    public static StageDefinition Transform => new("transform", TransformCommand.Description, TransformCommand.Create);

    public static StageDefinition Apply => new("apply", ApplyCommand.Description, ApplyCommand.Create);

    public static StageDefinition Validate => new("validate", ValidateCommand.Description, ValidateCommand.Create);

    public static StageDefinition Cleanup => new("cleanup", CleanupCommand.Description, CleanupCommand.Create);

    public static StageDefinition DscFinalize => new("dsc-finalize", DscFinalizeCommand.Description, DscFinalizeCommand.Create);

    public static StageDefinition Rollback => new("rollback", RollbackCommand.Description, RollbackCommand.Create);

    public static IReadOnlyList<StageDefinition> All => [Discover, Export, Transform, Apply, Validate, Cleanup, DscFinalize, Rollback];
}
