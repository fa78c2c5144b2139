using System.CommandLine;
using System.Globalization;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;

namespace OdhMigration.Cli.Tests.Commands;

/// <summary>
/// An option spelled the same on two commands is the same option (Commands/Options declares each once): same
/// description, aliases, type, default, and the same values refused with the same messages, on every stage tool
/// and every odh-migrate subcommand (run, rehearse, pipelineruns, the drop-ins, ...). Whether a command requires
/// an option is its own choice (rehearse needs --namespace, simulator --snapshot) and is not compared.
/// </summary>
public sealed class OptionConsistencyTests
{
    private static readonly string[] Probes = ["", " ", "0", "-1", "1.5", "NaN", "abc", "Not_A_Name!", "a,b", "x=y", "side-by-side", "debug", "json", new string('a', 64)];

    /// <summary>Every command a user can run, as (how it is called, its root, the arguments that reach it).</summary>
    private static List<(string Name, RootCommand Root, string[] Prefix, Command Command)> Commands()
    {
        var io = new CliIo(TextWriter.Null, TextWriter.Null);
        var all = new List<(string, RootCommand, string[], Command)>();
        foreach (var stage in StageCatalog.All)
        {
            var root = stage.CreateRoot(io);
            all.Add((stage.ToolName, root, [], root));
        }

        var umbrella = UmbrellaCommand.Create(io);
        foreach (var sub in umbrella.Subcommands)
        {
            all.Add(($"odh-migrate {sub.Name}", umbrella, [sub.Name], sub));
        }

        return all;
    }

    public static TheoryData<string> SharedOptionNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Commands().SelectMany(c => c.Command.Options.Select(o => (c.Name, o.Name))).GroupBy(p => p.Item2).Where(g => g.Count() > 1).Select(g => g.Key).Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void The_commands_share_the_options_the_issue_names()
    {
        var names = SharedOptionNames().Select(row => row.Data).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[] { "--strategy", "--select", "--namespace", "--concurrency", "--dry-run", "--workspace", "--timeout", "--yes" })
        {
            Assert.Contains(expected, names);
        }
    }

    [Theory]
    [MemberData(nameof(SharedOptionNames))]
    public void An_option_has_one_description_default_and_validation_on_every_command(string name)
    {
        var offering = Commands().Select(c => (c.Name, c.Root, c.Prefix, Option: c.Command.Options.SingleOrDefault(o => o.Name == name))).Where(c => c.Option is not null).ToList();
        Assert.True(offering.Count > 1, $"{name} is offered by {offering.Count} command(s)");

        var first = offering[0];
        foreach (var other in offering.Skip(1))
        {
            var where = $"{name} on {other.Name} differs from {first.Name}";
            Assert.True(first.Option!.Description == other.Option!.Description, $"{where}: description\n  {first.Option.Description}\n  {other.Option.Description}");
            Assert.True(first.Option.Aliases.Order(StringComparer.Ordinal).SequenceEqual(other.Option.Aliases.Order(StringComparer.Ordinal)), $"{where}: aliases");
            Assert.True(first.Option.ValueType == other.Option.ValueType, $"{where}: type {first.Option.ValueType} vs {other.Option.ValueType}");
            Assert.True(DefaultText(first.Option) == DefaultText(other.Option), $"{where}: default '{DefaultText(first.Option)}' vs '{DefaultText(other.Option)}'");
            foreach (var probe in Probes)
            {
                var expected = ProbeErrors(first.Root, first.Prefix, name, probe);
                var actual = ProbeErrors(other.Root, other.Prefix, name, probe);
                Assert.True(expected.SequenceEqual(actual), $"{where}: {name}='{probe}' gives [{string.Join(" | ", actual)}] instead of [{string.Join(" | ", expected)}]");
            }
        }
    }

    /// <summary>The errors the value adds to the command's parse (those of the bare command, e.g. a required option missing, removed).</summary>
    private static List<string> ProbeErrors(RootCommand root, string[] prefix, string name, string value)
    {
        var baseline = root.Parse(prefix).Errors.Select(e => e.Message).ToHashSet(StringComparer.Ordinal);
        var parse = root.Parse(CliApp.WithoutEmptyOptions([.. prefix, $"{name}={value}"]));
        return parse.Errors.Select(e => e.Message).Where(m => !baseline.Contains(m)).Order(StringComparer.Ordinal).ToList();
    }

    private static string DefaultText(Option option) => !option.HasDefaultValue
        ? "(none)"
        : option.GetDefaultValue() switch
        {
            null => "null",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            string[] list => string.Join(",", list),
            var other => other.ToString() ?? "",
        };
}
