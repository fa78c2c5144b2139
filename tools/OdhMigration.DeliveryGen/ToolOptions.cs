using System.CommandLine;
using System.Globalization;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;

namespace OdhMigration.DeliveryGen;

/// <summary>One option of a stage tool, read from its real command definition (never from a copied list).</summary>
public sealed record ToolOption(string Name, string Description, string DefaultText, bool IsList, bool IsPairList, bool IsBool)
{
    /// <summary>The Tekton param / action input name: the option's long name without its dashes.</summary>
    public string ParamName => Name[2..];
}

public static class ToolOptions
{
    /// <summary>Options a Task binds itself (to its workspace and /tekton/results) instead of exposing as params.</summary>
    public static readonly IReadOnlySet<string> BoundByTask = new HashSet<string>(StringComparer.Ordinal) { "--workspace", "--result-dir", RequireGate };

    /// <summary>
    /// Always "true" in every delivery file of a gated stage (Task, StepAction, action), never a param or input:
    /// whoever may create a TaskRun must not be able to switch the approval gate off.
    /// </summary>
    public const string RequireGate = "--require-gate";

    public static bool IsGated(IReadOnlyList<ToolOption> options) => options.Any(o => o.Name == RequireGate);

    public static Command Command(StageDefinition stage) => stage.Create(new CliIo(TextWriter.Null, TextWriter.Null));

    public static IReadOnlyList<ToolOption> For(StageDefinition stage) =>
        Command(stage).Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal)).Select(Describe).ToList();

    private static ToolOption Describe(Option option)
    {
        var isList = option.ValueType == typeof(string[]);
        var description = option.Description ?? "";

        // Pair lists (<key>=<value>) are parsed by OptionParsing.Pairs, which does not split on commas.
        var isPairList = isList && description.Contains("=<", StringComparison.Ordinal);
        return new ToolOption(option.Name, description, DefaultText(option), isList, isPairList, option.ValueType == typeof(bool));
    }

    /// <summary>The tool's own default, as the string a Tekton param or action input would carry; "" when none.</summary>
    private static string DefaultText(Option option)
    {
        if (option.Name == "--workspace" || !option.HasDefaultValue)
        {
            return option.ValueType == typeof(bool) ? "false" : "";
        }

        return option.GetDefaultValue() switch
        {
            null => "",
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            string[] list => string.Join(",", list),
            var other => other.ToString() ?? "",
        };
    }
}
