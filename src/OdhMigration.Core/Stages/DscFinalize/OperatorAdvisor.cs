using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.DscFinalize;

/// <summary>
/// Guide section 9: which operator Subscriptions are now safe to uninstall, judged from the DSC/DSCI state after
/// this run and from what else is installed (Authorino is shared with Red Hat Connectivity Link).
/// </summary>
public static class OperatorAdvisor
{
    public const string Serverless = "OpenShift Serverless";
    public const string ServiceMesh2 = "OpenShift Service Mesh 2";
    public const string Authorino = "Authorino";

    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["serverless-operator"] = Serverless,
        ["servicemeshoperator"] = ServiceMesh2,
        ["authorino-operator"] = Authorino,
    };

    private static readonly string[] ConnectivityLinkPackages = ["rhcl-operator", "kuadrant-operator"];

    public static List<OperatorAdvice> Advise(IReadOnlyList<JsonObject> subscriptions, string? servingState, string? serviceMeshState)
    {
        var connectivityLink = subscriptions.Any(s => ConnectivityLinkPackages.Contains(s.At("spec").Str("name")));
        var advice = new List<OperatorAdvice>();
        foreach (var subscription in subscriptions.OrderBy(s => s.Namespace(), StringComparer.Ordinal).ThenBy(s => s.Name(), StringComparer.Ordinal))
        {
            if (subscription.At("spec").Str("name") is not { } package || !Packages.TryGetValue(package, out var name))
            {
                continue;
            }

            var csv = subscription.At("status").Str("installedCSV") ?? subscription.At("status").Str("currentCSV");
            var (safe, reason) = name switch
            {
                Serverless => servingState == "Removed"
                    ? (true, "DSC kserve.serving is Removed: KServe no longer needs Knative")
                    : (false, $"DSC kserve.serving is {servingState ?? "unset"}: Knative is still in use or managed by you"),
                ServiceMesh2 => serviceMeshState == "Removed"
                    ? (true, "DSCI serviceMesh is Removed")
                    : (false, $"DSCI serviceMesh is {serviceMeshState ?? "unset"}: move to Service Mesh 3 before the 3.x upgrade"),
                _ => connectivityLink
                    ? (false, "Red Hat Connectivity Link is installed and shares Authorino; keep it")
                    : (true, "no other installed operator needs the standalone Authorino"),
            };
            advice.Add(new OperatorAdvice(name, subscription.Namespace() ?? "", subscription.Name(), csv, safe, reason, safe ? "may be uninstalled" : "keep"));
        }

        return advice;
    }
}
