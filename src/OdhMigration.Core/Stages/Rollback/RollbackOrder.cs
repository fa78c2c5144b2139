namespace OdhMigration.Core.Stages.Rollback;

/// <summary>
/// The dependency order of a rollback: originals are recreated runtime first, then the auth objects, the ISVC, its
/// istio-system Route and last the token Secrets (they name the service account); replacements go in reverse.
/// </summary>
public static class RollbackOrder
{
    public static int Rank(string kind) => kind switch
    {
        "ServingRuntime" => 0,
        "ServiceAccount" => 1,
        "Role" => 2,
        "RoleBinding" => 3,
        "InferenceService" => 4,
        "Route" => 5,
        "Secret" => 6,
        _ => 7,
    };
}
