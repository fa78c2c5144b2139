namespace OdhMigration.Core.Workspace.Vocabulary;

/// <summary>FinalizeReport.Verdict in finalize.json: what dsc-finalize concluded.</summary>
public static class FinalizeVerdicts
{
    public const string Done = "done";
    public const string NoChange = "no-change";

    /// <summary>InferenceServices are still Serverless or ModelMesh: nothing was changed.</summary>
    public const string Refused = "refused";

    /// <summary>Something still stands between the cluster and the upgrade (FinalizeReport.Blockers).</summary>
    public const string Blocked = "blocked";
}
