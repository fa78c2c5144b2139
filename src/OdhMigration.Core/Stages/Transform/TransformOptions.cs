using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Transform.Waves;
using WaveOrderChoice = OdhMigration.Core.Stages.Transform.Waves.WaveOrder;
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

    /// <summary>--waves: <see cref="WaveModes.Auto"/> (fit free capacity and quotas) or null.</summary>
    public string? Waves { get; init; }

    /// <summary>--wave-size N: at most N InferenceServices per wave (a runtime's ISVCs stay together).</summary>
    public int? WaveSize { get; init; }

    /// <summary>--wave-order: largest (default), plan, or ns/a,ns/b,... (see <see cref="WaveOrder"/>).</summary>
    public string? WaveOrder { get; init; }

    /// <summary>How waves are planned (PlanOptions.Waves): auto, size, or null for a plan without waves.</summary>
    public string? WaveMode => Waves ?? (WaveSize is null ? null : WaveModes.Size);

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

        problems.AddRange(WaveProblems());
        return problems;
    }

    private List<string> WaveProblems()
    {
        var problems = new List<string>();
        if (Waves is not null && Waves != WaveModes.Auto)
        {
            problems.Add($"--waves '{Waves}': expected {WaveModes.Auto} (or --wave-size N for fixed-size waves)");
        }

        if (Waves is not null && WaveSize is not null)
        {
            problems.Add("--waves auto and --wave-size are mutually exclusive: fit the capacity, or a fixed number per wave");
        }

        if (WaveSize is < 1)
        {
            problems.Add($"--wave-size {WaveSize}: expected a number of InferenceServices of at least 1");
        }

        if (WaveOrder is not null && WaveMode is null)
        {
            problems.Add("--wave-order needs --waves auto or --wave-size N");
        }

        problems.AddRange(WaveOrderChoice.Problems(WaveOrder));
        return problems;
    }

    /// <summary>The one check of a --target-namespace value: a DNS-1123 label.</summary>
    public static string? TargetNamespaceProblem(string ns) =>
        NameLimits.IsDns1123Label(ns) ? null : $"--target-namespace '{ns}': not a valid namespace name (DNS-1123 label)";
}
