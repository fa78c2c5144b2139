namespace OdhMigration.Cli.Commands;

/// <summary>Every stage, in pipeline order. Tools, the umbrella, the Tekton tests and the docs all read this list.</summary>
public static class StageCatalog
{
    public static readonly StageDefinition Discover = new("discover", DiscoverCommand.Description, DiscoverCommand.Create);
    public static readonly StageDefinition Export = new("export", ExportCommand.Description, ExportCommand.Create);
    public static readonly StageDefinition Transform = new("transform", TransformCommand.Description, TransformCommand.Create);
    public static readonly StageDefinition Apply = new("apply", ApplyCommand.Description, ApplyCommand.Create);
    public static readonly StageDefinition Validate = new("validate", ValidateCommand.Description, ValidateCommand.Create);
    public static readonly StageDefinition Cleanup = new("cleanup", CleanupCommand.Description, CleanupCommand.Create);
    public static readonly StageDefinition DscFinalize = new("dsc-finalize", DscFinalizeCommand.Description, DscFinalizeCommand.Create);

    public static IReadOnlyList<StageDefinition> All { get; } = [Discover, Export, Transform, Apply, Validate, Cleanup, DscFinalize];
}
