using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform;

public sealed record TransformOptions
{
    /// <summary>The values --visibility accepts.</summary>
    public static readonly string[] Visibilities = ["preserve", "exposed"];

    /// <summary>The values --opset1 accepts.</summary>
    public static readonly string[] Opset1Choices = ["compat", "upgrade", "skip"];

    /// <summary>null: the mode's default (side-by-side for Serverless, new-namespace for ModelMesh).</summary>
    public string? Strategy { get; init; }
    public string? TargetNamespace { get; init; }

    /// <summary>preserve (cluster-local stays internal) or exposed.</summary>
    public string Visibility { get; init; } = "preserve";

    public bool IgnoreExistingNamespace { get; init; }
    public bool CopyPermissions { get; init; }

    /// <summary>compat, upgrade or skip (OpenVINO opset1 models, ModelMesh).</summary>
    public string Opset1 { get; init; } = "compat";
    public bool OvmsAutoVersioning { get; init; } = true;
    public IReadOnlyDictionary<string, string> RuntimeTemplates { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> StoragePaths { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> StorageUris { get; init; } = new Dictionary<string, string>();
    public string? TemplateNamespace { get; init; }

    /// <summary>What makes these options unusable, as usage errors naming the option; empty when they are fine.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Strategy is not null && !Strategies.All.Contains(Strategy))
        {
            problems.Add($"--strategy '{Strategy}': expected one of {string.Join(", ", Strategies.All)}");
        }

        if (Strategy == Strategies.NewNamespace && string.IsNullOrEmpty(TargetNamespace))
        {
            problems.Add("--strategy new-namespace needs --target-namespace <ns>");
        }

        if (TargetNamespace is { } target && TargetNamespaceProblem(target) is { } problem)
        {
            problems.Add(problem);
        }

        if (!Visibilities.Contains(Visibility))
        {
            problems.Add($"--visibility '{Visibility}': expected preserve or exposed");
        }

        if (!Opset1Choices.Contains(Opset1))
        {
            problems.Add($"--opset1 '{Opset1}': expected compat, upgrade or skip");
        }

        return problems;
    }

    /// <summary>The one check of a --target-namespace value: a DNS-1123 label.</summary>
    public static string? TargetNamespaceProblem(string ns) =>
        NameLimits.IsDns1123Label(ns) ? null : $"--target-namespace '{ns}': not a valid namespace name (DNS-1123 label)";
}
