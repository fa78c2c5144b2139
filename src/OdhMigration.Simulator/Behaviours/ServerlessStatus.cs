using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>
/// What the Knative Service behind a Serverless ISVC's predictor reports: <see cref="Ready"/> once its revision is up,
/// <see cref="SchedulingMessage"/> (the first pod's PodScheduled=False message) when Knative marked the revision failed
/// because its pods cannot be scheduled, else still deploying.
/// </summary>
internal sealed record ServerlessFacts(RuntimeVerdict Verdict, bool Stopped, bool Ready, string? SchedulingMessage);

/// <summary>
/// A Serverless ISVC's status as KServe of the ODH 2.x era writes it (opendatahub-io/kserve release-v0.14):
/// components/predictor.go creates the Knative Service "&lt;name&gt;-predictor" and copies its status in
/// (pkg/apis/serving/v1beta1/inference_service_status.go PropagateStatus: PredictorReady from the ksvc's Ready,
/// PredictorRouteReady from RoutesReady, PredictorConfigurationReady from ConfigurationsReady, the revisions, traffic,
/// and url/address only once the ksvc is Ready); controller.go aggregates RoutesReady and LatestDeploymentReady
/// (PropagateCrossComponentStatus); reconcilers/ingress/ingress_reconciler.go sets IngressReady ("Predictor ingress not
/// created" while PredictorReady is not True), status.url (the predictor URL without "-predictor", urlScheme https in
/// the ODH overlay) and status.address (https://&lt;name&gt;.&lt;ns&gt;.svc.cluster.local). Ready is the Knative
/// condition set's happy condition over PredictorReady and IngressReady: marking either False or Unknown copies its
/// reason into Ready, IngressReady being marked last.
/// </summary>
internal static class ServerlessStatus
{
    public const string Mode = "Serverless";
    private const string StopAnnotation = "serving.kserve.io/stop";

    /// <summary>utils.GetForceStopRuntime: the serving.kserve.io/stop annotation, "true" in any case.</summary>
    public static bool IsStopped(JsonObject isvc) => string.Equals(isvc.Annotation(StopAnnotation), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The Knative revision KServe's ksvc gets: Knative numbers a Configuration's revisions by its generation
    /// ("&lt;config&gt;-00001"); the ISVC's generation stands in for the ksvc's (each spec change makes a new revision).
    /// </summary>
    public static string Revision(JsonObject isvc)
    {
        var generation = isvc.At("metadata", "generation") is JsonValue value && value.TryGetValue<long>(out var g) ? g : 1;
        return $"{isvc.Name()}-predictor-{generation.ToString("D5", CultureInfo.InvariantCulture)}";
    }

    public static JsonObject With(JsonObject live, ServerlessFacts facts, string appsDomain, DateTimeOffset now)
    {
        var previous = live["status"] as JsonObject;
        var oldConditions = previous?["conditions"] as JsonArray;
        if (facts.Stopped)
        {
            live["status"] = Stopped(oldConditions, now);
            return live;
        }

        var status = previous ?? [];
        status["deploymentMode"] = Mode;
        status["observedGeneration"] = live.At("metadata", "generation")?.DeepClone() ?? 1;
        var notStopped = StatusConditions.Condition(oldConditions, "Stopped", "False", null, null, now);
        if (!facts.Verdict.Ok)
        {
            // As the Raw path: KServe stops in the predictor before it reconciles the ksvc, so no URL to report.
            status.Remove("url");
            status.Remove("address");
            var (reason, message) = (facts.Verdict.Reason, facts.Verdict.Message);
            status["conditions"] = StatusConditions.Merge(oldConditions,
            [
                StatusConditions.Condition(oldConditions, "IngressReady", "False", reason, message, now),
                StatusConditions.Condition(oldConditions, "PredictorReady", "False", reason, message, now),
                StatusConditions.Condition(oldConditions, "Ready", "False", reason, message, now),
            ]);
            status["modelStatus"] = new JsonObject
            {
                ["transitionStatus"] = "InvalidSpec",
                ["states"] = new JsonObject { ["activeModelState"] = string.Empty, ["targetModelState"] = "FailedToLoad" },
                ["lastFailureInfo"] = new JsonObject { ["reason"] = reason, ["message"] = message },
            };
            live["status"] = status;
            return live;
        }

        var name = live.Name();
        var ns = live.Namespace();
        var ksvc = $"{name}-predictor";
        var revision = Revision(live);
        // networking.knative.dev/visibility=cluster-local keeps the ksvc off the ingress: Knative gives it the cluster
        // domain; otherwise OpenShift Serverless's domain template "{{.Name}}-{{.Namespace}}.{{.Domain}}".
        var clusterLocal = live.Label("networking.knative.dev/visibility") == "cluster-local";
        var predictorUrl = clusterLocal ? $"http://{ksvc}.{ns}.svc.cluster.local" : $"https://{ksvc}-{ns}.{appsDomain}";
        var isvcUrl = clusterLocal ? $"https://{name}.{ns}.svc.cluster.local" : $"https://{name}-{ns}.{appsDomain}";

        var component = (status.At("components", "predictor") as JsonObject)?.DeepCopy() ?? [];
        component["latestCreatedRevision"] = revision;
        var servedBefore = component.Str("latestReadyRevision") is { Length: > 0 };
        string predictor, route, configuration;
        string? reasonOf = null, messageOf = null, routeReason = null, routeMessage = null;
        if (facts.Ready)
        {
            (predictor, route, configuration) = ("True", "True", "True");
            component["latestReadyRevision"] = revision;
            if (component.Str("latestRolledoutRevision") is var rolled && rolled != revision)
            {
                // PropagateStatus tracks the revision last rolled out with 100% of the traffic, and the one before it.
                if (rolled is { Length: > 0 })
                {
                    component["previousRolledoutRevision"] = rolled;
                }

                component["latestRolledoutRevision"] = revision;
            }

            component["traffic"] = new JsonArray(new JsonObject { ["latestRevision"] = true, ["percent"] = 100, ["revisionName"] = revision });
            component["url"] = predictorUrl;
            component["address"] = new JsonObject { ["url"] = $"http://{ksvc}.{ns}.svc.cluster.local" };
            status["url"] = isvcUrl;
            status["address"] = new JsonObject { ["url"] = $"https://{name}.{ns}.svc.cluster.local" };
        }
        else if (facts.SchedulingMessage is { } scheduling)
        {
            // knative serving pkg/reconciler/revision/reconcile_resources.go: a Deployment with no available pod whose
            // first pod has PodScheduled=False marks the revision ResourcesAvailable=False with the scheduler's words;
            // the Configuration then reports RevisionFailed (configuration_lifecycle.go MarkLatestCreatedFailed) and the
            // Route, with no ready revision, RevisionMissing (route_lifecycle.go MarkConfigurationFailed).
            (predictor, configuration) = ("False", "False");
            (reasonOf, messageOf) = ("RevisionFailed", $"Revision \"{revision}\" failed with message: {scheduling}.");
            route = servedBefore ? "True" : "False";
            if (!servedBefore)
            {
                (routeReason, routeMessage) = ("RevisionMissing", $"Configuration \"{ksvc}\" does not have any ready Revision.");
            }
        }
        else
        {
            // Still deploying: the ksvc's Ready and RoutesReady are Unknown, "Configuration ... is waiting for a Revision
            // to become ready." (route_lifecycle.go MarkConfigurationNotReady); an older ready revision keeps serving.
            (predictor, configuration) = ("Unknown", "Unknown");
            route = servedBefore ? "True" : "Unknown";
            if (!servedBefore)
            {
                (routeReason, routeMessage) = ("RevisionMissing", $"Configuration \"{ksvc}\" is waiting for a Revision to become ready.");
                (reasonOf, messageOf) = (routeReason, routeMessage);
            }
        }

        status["components"] = new JsonObject { ["predictor"] = component };
        var ingress = predictor == "True" ? ("True", (string?)null) : (predictor, "Predictor ingress not created");
        status["conditions"] = StatusConditions.Merge(oldConditions,
        [
            StatusConditions.Condition(oldConditions, "IngressReady", ingress.Item1, ingress.Item2, null, now),
            StatusConditions.Condition(oldConditions, "LatestDeploymentReady", configuration, configuration == "True" ? null : "PredictorConfigurationReady not ready", null, now),
            StatusConditions.Condition(oldConditions, "PredictorConfigurationReady", configuration, reasonOf is "RevisionFailed" ? reasonOf : null, reasonOf is "RevisionFailed" ? messageOf : null, now),
            StatusConditions.Condition(oldConditions, "PredictorReady", predictor, reasonOf, messageOf, now),
            StatusConditions.Condition(oldConditions, "PredictorRouteReady", route, routeReason, routeMessage, now),
            // Ready follows IngressReady, the dependent KServe marks last.
            StatusConditions.Condition(oldConditions, "Ready", ingress.Item1, ingress.Item2, null, now),
            StatusConditions.Condition(oldConditions, "RoutesReady", route, route == "True" ? null : "PredictorRouteReady not ready", null, now),
            notStopped,
        ]);
        status["modelStatus"] = new JsonObject
        {
            ["transitionStatus"] = facts.Ready ? "UpToDate" : "InProgress",
            ["states"] = new JsonObject { ["activeModelState"] = facts.Ready ? "Loaded" : "Pending", ["targetModelState"] = "Loaded" },
        };
        live["status"] = status;
        return live;
    }

    /// <summary>
    /// components/predictor.go on serving.kserve.io/stop=true: the ksvc is deleted and the status cleared but for the
    /// deployment mode, with PredictorReady False "Stopped" and Stopped True; the ingress reconciler then marks
    /// IngressReady False "Stopped" (so Ready is False "Stopped" too). Go serialises the empty modelStatus struct as
    /// {"transitionStatus": ""}.
    /// </summary>
    private static JsonObject Stopped(JsonArray? oldConditions, DateTimeOffset now) => new()
    {
        ["conditions"] = new JsonArray(
            StatusConditions.Condition(oldConditions, "IngressReady", "False", "Stopped", null, now),
            StatusConditions.Condition(oldConditions, "PredictorReady", "False", "Stopped", null, now),
            StatusConditions.Condition(oldConditions, "Ready", "False", "Stopped", null, now),
            StatusConditions.Condition(oldConditions, "Stopped", "True", null, null, now)),
        ["modelStatus"] = new JsonObject { ["transitionStatus"] = string.Empty },
        ["deploymentMode"] = Mode,
    };
}
