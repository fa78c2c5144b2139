namespace OdhMigration.Core.Workspace.Vocabulary;

/// <summary>How transform planned waves (PlanOptions.Waves); the stages that run waves read it back.</summary>
public static class WaveModes
{
    /// <summary>--waves auto: each wave fits the free cluster capacity and the namespace quotas (capacity.json).</summary>
    public const string Auto = "auto";

    /// <summary>--wave-size N: at most N InferenceServices per wave, no capacity check.</summary>
    public const string Size = "size";
}
