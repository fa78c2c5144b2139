using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;
using OdhMigration.DeliveryGen;

namespace OdhMigration.Cli.Tests.Delivery;

public sealed class TaskDefaultsTests
{
    [Theory]
    [MemberData(nameof(TektonStageTests.Stages), MemberType = typeof(TektonStageTests))]
    public void Task_args_at_their_defaults_give_the_tools_defaults(string stage)
    {
        var definition = StageCatalog.All.Single(s => s.Name == stage);
        var task = DeliveryFiles.Task($"odh-{stage}");
        var defaults = task.Items("spec", "params").ToDictionary(p => p.Str("name")!, p => p.Str("default") ?? "");
        var args = Assert.Single(task.Items("spec", "steps")).Strings("args")
            .Select(a => a.StartsWith("$(params.", StringComparison.Ordinal) ? defaults[a[9..^1]] : a).ToArray();
        var root = definition.CreateRoot(new CliIo(TextWriter.Null, TextWriter.Null));
        var parse = root.Parse(CliApp.WithoutEmptyOptions(args));
        Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
        var bare = root.Parse(["--workspace", "$(workspaces.workspace.path)", "--result-dir", "/tekton/results"]);
        foreach (var option in root.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal)))
        {
            // The gate options differ on purpose: the Task always requires the gate, and an empty expected sha256
            // reaches the tool (which refuses it) instead of being dropped. Asserted in TektonStageTests.
            if (option.Name == ToolOptions.RequireGate || (option.Name.StartsWith("--expect-", StringComparison.Ordinal) && option.Name.EndsWith("-sha256", StringComparison.Ordinal)))
            {
                continue;
            }

            Assert.Equal(bare.GetResult(option)?.GetValueOrDefault<object?>()?.ToString(), parse.GetResult(option)?.GetValueOrDefault<object?>()?.ToString());
        }
    }
}
