using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform.Serverless;

/// <summary>
/// Which originals go, and when. Side-by-side and new-namespace: cleanup deletes them once the replacement
/// validated (the engine then keeps runtimes still in use). In-place: the same names are recreated, so apply
/// deletes the originals first and cleanup must not touch them afterwards.
/// </summary>
internal sealed class CleanupPlanner(TransformContext context, bool auth)
{
    public List<PlannedDeletion> OnCleanup(bool keepServiceAccount)
    {
        var result = new List<PlannedDeletion?>
        {
            Deletion(ExportRoles.Isvc, "original Serverless InferenceService, replaced by the RawDeployment one"),
            Deletion(ExportRoles.Runtime, "original ServingRuntime, replaced by the migrated copy (kept while other InferenceServices use it)"),
            Deletion(ExportRoles.Route, "Route the Serverless ingress created in istio-system for this InferenceService"),
        };
        if (auth)
        {
            if (!keepServiceAccount)
            {
                result.Add(Deletion(ExportRoles.ServiceAccount, "original auth ServiceAccount; the new ISVC has its own"));
            }

            result.Add(Deletion(ExportRoles.Role, "original auth Role (grants get on the old InferenceService)"));
            result.Add(Deletion(ExportRoles.RoleBinding, "original auth RoleBinding"));
            result.AddRange(context.All(ExportRoles.TokenSecret).Select(s => (PlannedDeletion?)ToDeletion(s, "old token Secret; its token stops working, clients switch to the new token Secret (backup holds no token)")));
        }

        return result.OfType<PlannedDeletion>().ToList();
    }

    public List<PlannedDeletion> BeforeApply()
    {
        var result = new List<PlannedDeletion?>
        {
            Deletion(ExportRoles.Isvc, "the KServe webhook refuses a deploymentMode change on update: delete, then recreate under the same name"),
            Deletion(ExportRoles.Route, "its host would block the Route of the recreated InferenceService"),
        };
        if (auth)
        {
            const string owned = "owned by the old InferenceService (garbage collection would remove a same-named copy); recreated from raw-original-names/";
            result.AddRange(context.All(ExportRoles.TokenSecret).Select(s => (PlannedDeletion?)ToDeletion(s, owned + " with a new token")));
            result.Add(Deletion(ExportRoles.RoleBinding, owned));
            result.Add(Deletion(ExportRoles.Role, owned));
            result.Add(Deletion(ExportRoles.ServiceAccount, owned));
        }

        return result.OfType<PlannedDeletion>().ToList();
    }

    private PlannedDeletion? Deletion(string role, string reason) => context.Find(role) is { } saved ? ToDeletion(saved, reason) : null;

    private static PlannedDeletion ToDeletion(SavedObject saved, string reason) =>
        new(saved.Object.Kind()!, saved.Object.ApiVersion()!, saved.Object.Name(), saved.Object.Namespace(), reason, saved.Path);
}
