using System.CommandLine;
using OdhMigration.Core.Stages.Apply;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>What apply may touch and how it owns what it writes.</summary>
public static class ApplyChoiceOptions
{
    public static Option<bool> AllowGitOps() => new("--allow-gitops") { Description = "Apply to InferenceServices a GitOps tool manages" };

    public static Option<bool> StopOriginal() => new("--stop-original") { Description = "Set serving.kserve.io/stop=true on Serverless originals to free resources" };

    /// <summary>Given empty or blank it is refused (it is kept by <see cref="Hosting.CliApp.WithoutEmptyOptions"/>), never silently the default.</summary>
    public static Option<string> FieldManager() => new Option<string>(FieldManagerName)
    {
        Description = "Server-side apply field manager (keep it stable across runs; an empty or blank value is refused)",
        DefaultValueFactory = _ => ApplyOptions.DefaultFieldManager,
    }.NotBlank();

    public const string FieldManagerName = "--field-manager";
}
