using System.CommandLine;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>Which InferenceServices of the scope are migrated: by name, by label, or picked by hand.</summary>
public static class SelectionOptions
{
    public static Option<string[]> Select() => new("--select")
    {
        Description = "Only these InferenceService names, or <namespace>/<name> (comma-separated, repeatable); default: every eligible one",
    };

    public static Option<string[]> Exclude() => new("--exclude")
    {
        Description = "Never these InferenceService names, or <namespace>/<name> (comma-separated, repeatable)",
    };

    public static Option<string?> Selector() => new Option<string?>("--selector", "-l") { Description = "Only InferenceServices whose labels match this label selector" }.NotBlank();

    public static Option<bool> Interactive() => new("--interactive", "-i")
    {
        Description = "Pick from the selected InferenceServices in a paged list (only when a terminal is attached)",
    };

    public static Option<int> PageSize() => new Option<int>("--page-size")
    {
        Description = "Rows per page of the --interactive picker (modelmesh-to-raw accepts it for compatibility with its script and has no picker: every eligible InferenceService, or --select, is migrated)",
        DefaultValueFactory = _ => 10,
    }.AtLeast(1);
}
