using System.CommandLine;
using OdhMigration.Core.Stages.Discover;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>Which namespaces and source modes a command works on.</summary>
public static class ScopeOptions
{
    /// <summary>
    /// --namespace/-n, a list on every command; serverless-to-raw and pipelineruns take one
    /// (<see cref="Single"/>). A value that is no namespace name is refused while parsing, by discover's rule.
    /// </summary>
    public static Option<string[]> Namespace()
    {
        var option = new Option<string[]>("--namespace", "-n")
        {
            Description = "Namespace of the InferenceServices (comma-separated, repeatable): discover scans, run and rehearse migrate them; serverless-to-raw takes one (default: the kubeconfig context's project); pipelineruns writes only that one's run (required with --resume-from when inventory.json selects several)",
            AllowMultipleArgumentsPerToken = false,
        };
        option.Validators.Add(result =>
        {
            foreach (var ns in OptionParsing.NameList(result.Tokens.Select(t => t.Value)))
            {
                if (DiscoverOptions.NamespaceProblem(ns) is { } problem)
                {
                    result.AddError(problem);
                }
            }
        });
        return option;
    }

    /// <summary>The one namespace of a command that takes one, or null when none is given.</summary>
    public static string? Single(IEnumerable<string>? values)
    {
        var names = OptionParsing.NameList(values);
        return names.Count <= 1 ? (names.Count == 0 ? null : names[0]) : throw new Core.Common.UsageException($"--namespace {string.Join(",", names)}: this command takes one namespace");
    }

    public static Option<bool> AllNamespaces() => new("--all-namespaces", "-A") { Description = "Scan every namespace" };

    public static Option<string> Mode()
    {
        var option = new Option<string>("--mode") { Description = "Which source mode to select: serverless, modelmesh or all", DefaultValueFactory = _ => "all" };
        option.AcceptOnlyFromAmong(DiscoverOptions.Modes);
        return option;
    }
}
