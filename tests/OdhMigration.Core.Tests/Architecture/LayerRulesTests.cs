using System.Reflection;
using System.Text.RegularExpressions;
using OdhMigration.Core.Common;

namespace OdhMigration.Core.Tests.Architecture;

/// <summary>
/// The folders of OdhMigration.Core are its layers (docs/architecture.md). A stage folder (Stages/&lt;X&gt;) builds on
/// Common, Manifests, Modes, Workspace, Cluster and Reporting only, never on another stage, so a stage can change
/// without reaching into its neighbours; what two stages share lives in one of those folders. Stages/Chain is the one
/// exception: it exists to run discover, export and transform in a row. The shared folders depend on no stage.
/// Core never talks to a console: engines log through IStageLog and return a StageOutcome.
/// </summary>
public sealed partial class LayerRulesTests
{
    private const string Core = "OdhMigration.Core";
    private const string StagesNamespace = "OdhMigration.Core.Stages";

    /// <summary>Stage folders allowed to use other stages, and why.</summary>
    private static readonly Dictionary<string, string> Composers = new(StringComparer.Ordinal)
    {
        ["Chain"] = "PlanningChain composes discover, export and transform into one planning run",
    };

    public static TheoryData<string> StageFolderData() => new(StageFolders());

    private static List<string> StageFolders() =>
        [.. Directory.GetDirectories(Path.Combine(SourceFiles.Src, Core, "Stages")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Fact]
    public void The_stage_folders_are_found()
    {
        Assert.Contains("Apply", StageFolders());
        Assert.Contains("Transform", StageFolders());
        Assert.True(StageFolders().Count >= 8);
    }

    [Theory]
    [MemberData(nameof(StageFolderData))]
    public void A_stage_folder_uses_no_other_stage_in_its_source(string stage)
    {
        var others = StageFolders().Where(s => s != stage).ToList();
        var problems = Composers.ContainsKey(stage) ? [] : StageReferences($"{Core}/Stages/{stage}", others).ToList();

        Assert.True(problems.Count == 0, $"Stages/{stage} uses another stage (move what they share to Common, Manifests, Modes, Workspace, Cluster or Reporting):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_shared_folders_use_no_stage_in_their_source()
    {
        var shared = Directory.GetDirectories(Path.Combine(SourceFiles.Src, Core)).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not ("Stages" or "obj" or "bin")).ToList();
        var problems = shared.SelectMany(d => StageReferences($"{Core}/{d}", StageFolders())).ToList();

        Assert.True(shared.Count >= 6);
        Assert.True(problems.Count == 0, "a shared folder uses a stage:\n" + string.Join("\n", problems));
    }

    /// <summary>The compiled form of the same rule, for what a text search can miss (aliases, inherited members): every field, property, method signature and base type of a stage's types.</summary>
    [Fact]
    public void No_stage_type_signature_names_a_type_of_another_stage()
    {
        var problems = new List<string>();
        foreach (var type in typeof(ExitCodes).Assembly.GetTypes())
        {
            var own = StageOf(type);
            if (own is null && type.Namespace?.StartsWith(StagesNamespace, StringComparison.Ordinal) == true)
            {
                continue;
            }

            if (own is not null && Composers.ContainsKey(own))
            {
                continue;
            }

            foreach (var used in SignatureTypes(type).Distinct())
            {
                if (StageOf(used) is { } other && other != own)
                {
                    problems.Add($"{type.FullName} -> {used.FullName}");
                }
            }
        }

        Assert.True(problems.Count == 0, "types that name another stage's types:\n" + string.Join("\n", problems.Distinct()));
    }

    [Fact]
    public void Core_never_uses_the_console()
    {
        var problems = SourceFiles.Under(Core)
            .SelectMany(file => CodeLines(file).Where(l => ConsoleUse().IsMatch(l.Code)).Select(l => $"{file}:{l.Line}: {l.Code.Trim()}"))
            .ToList();

        Assert.True(problems.Count == 0, "Core uses System.Console (log through IStageLog, report through StageOutcome):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Core_references_no_console_type_in_its_compiled_signatures()
    {
        var problems = typeof(ExitCodes).Assembly.GetTypes().SelectMany(t => SignatureTypes(t).Where(u => u == typeof(Console)).Select(_ => t.FullName)).ToList();

        Assert.Empty(problems);
    }

    // using OdhMigration.Core.Stages.Y (also static and alias forms), a qualified ...Stages.Y.Member, or, from inside the
    // OdhMigration.Core.Stages namespace, the relative form Y.Member.
    private static IEnumerable<string> StageReferences(string folder, IReadOnlyList<string> stages)
    {
        var alternatives = string.Join("|", stages.Select(Regex.Escape));
        var qualified = new Regex($@"\bStages\.(?:{alternatives})\b");
        var relative = new Regex($@"(?<![\w.])(?:{alternatives})\.[A-Z]");
        foreach (var file in SourceFiles.Under(folder))
        {
            foreach (var (line, code) in CodeLines(file))
            {
                if (qualified.IsMatch(code) || relative.IsMatch(code))
                {
                    yield return $"{file}:{line}: {code.Trim()}";
                }
            }
        }
    }

    private static IEnumerable<(int Line, string Code)> CodeLines(string file) =>
        SourceFiles.CodeOnly(SourceFiles.Read(file)).Split('\n').Select((code, index) => (index + 1, code));

    // The stage folder a type belongs to (OdhMigration.Core.Stages.<X>[.sub]), or null outside the stages.
    private static string? StageOf(Type type)
    {
        var ns = type.Namespace ?? "";
        return ns.StartsWith(StagesNamespace + ".", StringComparison.Ordinal) ? ns[(StagesNamespace.Length + 1)..].Split('.')[0] : null;
    }

    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var direct = new List<Type?> { type.BaseType };
        direct.AddRange(type.GetInterfaces());
        direct.AddRange(type.GetFields(all).Select(f => f.FieldType));
        direct.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            direct.AddRange(method.GetParameters().Select(p => p.ParameterType));
            direct.AddRange(method.GetMethodBody()?.LocalVariables.Select(v => v.LocalType) ?? []);
            if (method is MethodInfo info)
            {
                direct.Add(info.ReturnType);
            }
        }

        return direct.OfType<Type>().SelectMany(Expand);
    }

    // A type with its element and generic argument types (List<PlanItem> names PlanItem).
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var inner in Expand(element))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return inner;
            }
        }
    }

    [GeneratedRegex(@"(?<![\w])(?:System\.)?Console\s*\.|using\s+static\s+System\.Console\b")]
    private static partial Regex ConsoleUse();
}
