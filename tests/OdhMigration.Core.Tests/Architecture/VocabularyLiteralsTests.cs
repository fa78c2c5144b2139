using System.Reflection;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Tests.Architecture;

/// <summary>
/// The workspace vocabulary (item statuses, export roles, strategies, ledger actions and states, cleanup outcomes,
/// finalize verdicts) is written by one stage and matched by others, so it is spelled once, in
/// src/OdhMigration.Core/Workspace/Vocabulary/. This test finds any other src/ file that spells one of those values as a
/// bare string literal again.
/// </summary>
public sealed class VocabularyLiteralsTests
{
    private const string VocabularyFolder = "OdhMigration.Core/Workspace/Vocabulary/";

    /// <summary>
    /// Values that are also everyday words of another vocabulary all over the code; checking them would flag mostly
    /// false hits. Their constants are still the only way the stages spell them.
    /// </summary>
    private static readonly Dictionary<string, string> AmbiguousValues = new(StringComparer.Ordinal)
    {
        ["apply"] = "also the apply stage's name (commands, progress events, preflight, pipeline parts)",
        ["create"] = "also a Kubernetes verb (preflight access checks)",
        ["namespace"] = "also the Kubernetes metadata field and a pipeline parameter",
    };

    /// <summary>Files where a literal equal to a vocabulary value means something else (path relative to src/, value, why).</summary>
    private static readonly (string File, string Value, string Why)[] Allowed =
    [
        ("OdhMigration.Cli/Hosting/StageRunner.cs", "refused", "the stage-run verdict written to --result-dir (exit code 3), not a workspace value"),
        ("OdhMigration.Cli/Hosting/StageRunner.cs", "failed", "the stage-run verdict written to --result-dir, not a workspace value"),
        ("OdhMigration.Cli/Interactive/PagedPicker.cs", "done", "a word the user types to finish picking"),
        ("OdhMigration.Cli/Commands/PipelineRunBuilder.cs", "stop-original", "the migrate-namespace pipelines' param name (apply's --stop-original), not the ledger action"),
        ("OdhMigration.Core/Modes/ClusterDefaultsReader.cs", "inferenceservice-config", "the name of KServe's ConfigMap"),
        ("OdhMigration.Core/Workspace/ManifestFileNames.cs", "token-secret", "the file-name suffix of a saved token Secret"),
        ("OdhMigration.Core/Stages/Transform/TransformContext.cs", "refused", "the default message of TransformRefusedException"),
        ("OdhMigration.Core/Stages/Cleanup/CleanupEngine.cs", "deleted", "a word of the run's summary line"),
        ("OdhMigration.Core/Stages/DscFinalize/DscFinalizeEngine.cs", "applied", "a word of a log line"),
        ("OdhMigration.Core/Stages/Apply/ApplyItemResult.cs", "applied", "ApplyItemStatus: apply's per-item result in its outcome, not a workspace document"),
        ("OdhMigration.Core/Stages/Apply/ApplyItemResult.cs", "failed", "ApplyItemStatus"),
        ("OdhMigration.Core/Stages/Apply/ApplyItemResult.cs", "rolled-back", "ApplyItemStatus"),
        ("OdhMigration.Core/Stages/Apply/ApplyItemResult.cs", "refused", "ApplyItemStatus"),
        ("OdhMigration.Core/Reporting/SummaryTable.cs", "planned", "a word of the pipeline summary table, not a rollback.json outcome"),
    ];

    // The Kubernetes API emulator never reads or writes a workspace; its "ok", "create", "runtime" are the API server's.
    private static readonly string[] ScannedProjects = ["OdhMigration.Core", "OdhMigration.Cli", "OdhMigration.Cluster"];

    [Fact]
    public void The_vocabulary_is_found_and_each_value_spelled_by_one_constant_per_class()
    {
        var values = VocabularyValues();

        Assert.Contains("ok", values.Keys);
        Assert.Contains("isvc", values.Keys);
        Assert.Contains("side-by-side", values.Keys);
        Assert.Contains("delete-original", values.Keys);
        Assert.Contains("no-change", values.Keys);
        Assert.Contains("ItemStatuses.Failed", values["failed"]);
        Assert.Contains("LedgerItemStates.Failed", values["failed"]);
    }

    [Fact]
    public void The_reader_finds_literals_in_code_and_interpolation_holes_not_in_comments_or_messages()
    {
        const string text = """
            // "ok" in a comment
            var a = x.Status == "ok" ? $"{(y ? "kept" : "z")} refused" : @"done";
            /* "failed" */ var c = '"'; var d = "it \" ended";
            """;

        var literals = SourceFiles.StringLiterals(text).Select(l => (l.Value, l.Line)).ToList();

        Assert.Equal([("ok", 2), ("kept", 2), ("z", 2), ("done", 2), ("it \\\" ended", 3)], literals);
        Assert.DoesNotContain("failed", SourceFiles.CodeOnly(text), StringComparison.Ordinal);
    }

    [Fact]
    public void No_source_file_spells_a_vocabulary_value_as_a_bare_literal()
    {
        var values = VocabularyValues();
        var hits = Hits(values).ToList();

        var unexpected = hits.Where(h => !Allowed.Any(a => a.File == h.File && a.Value == h.Value))
            .Select(h => $"{h.File}:{h.Line}: \"{h.Value}\" (use {string.Join(" or ", values[h.Value])})")
            .ToList();
        Assert.True(unexpected.Count == 0, "bare vocabulary literals (use the constants in Workspace/Vocabulary, or add a documented allow-list entry if the literal means something else):\n" + string.Join("\n", unexpected));
    }

    [Fact]
    public void Every_allow_list_entry_is_still_needed()
    {
        var values = VocabularyValues();
        var hits = Hits(values).ToList();

        var stale = Allowed.Where(a => !hits.Any(h => h.File == a.File && h.Value == a.Value)).Select(a => $"{a.File} \"{a.Value}\"").ToList();
        Assert.True(stale.Count == 0, "allow-list entries that match nothing any more (remove them):\n" + string.Join("\n", stale));
    }

    /// <summary>Every const string of the vocabulary classes, by value: which constants spell it (e.g. "failed": ItemStatuses.Failed, ...).</summary>
    private static Dictionary<string, List<string>> VocabularyValues() =>
        typeof(ItemStatuses).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ItemStatuses).Namespace)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (Value: (string)f.GetRawConstantValue()!, Name: $"{t.Name}.{f.Name}")))
            .GroupBy(f => f.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Name).ToList(), StringComparer.Ordinal);

    private static IEnumerable<(string File, int Line, string Value)> Hits(Dictionary<string, List<string>> values)
    {
        foreach (var file in ScannedProjects.SelectMany(SourceFiles.Under))
        {
            if (file.StartsWith(VocabularyFolder, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var literal in SourceFiles.StringLiterals(SourceFiles.Read(file)))
            {
                if (!values.ContainsKey(literal.Value) || AmbiguousValues.ContainsKey(literal.Value) || IsFieldName(literal))
                {
                    continue;
                }

                yield return (file, literal.Line, literal.Value);
            }
        }
    }

    // A JSON field or dictionary key (obj["runtime"], results["failed"] = n) or a JSON field read (model.Str("runtime")):
    // the name of a field, never the value the vocabulary is about.
    private static bool IsFieldName(SourceFiles.Literal literal) =>
        (literal.Before.EndsWith('[') && literal.After.StartsWith(']'))
        || (literal.Before.EndsWith(".Str(", StringComparison.Ordinal) && literal.After.StartsWith(')'));
}
