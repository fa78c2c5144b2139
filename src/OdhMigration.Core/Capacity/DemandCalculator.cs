using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// What an ISVC's RawDeployment replacement will request when it starts (docs/waves.md, "Cost"): per component
/// (predictor, transformer, explainer) the requests of every container of its pod, per replica, times the replicas
/// it starts with. Pure: it reads the objects it is given and nothing else.
/// </summary>
/// <remarks>
/// The predictor's pod is the runtime's containers with the ISVC's model container merged over the runtime's
/// kserve-container (KServe merges the two key by key, the ISVC winning) and the ISVC's own predictor containers merged
/// by name or added. A request that is absent defaults to its limit, as Kubernetes defaults it. The containers KServe's
/// pod webhook injects for the predictor's storageUri (<see cref="StorageInitializer"/>: the storage-initializer init
/// container, or the modelcar ones) are counted when <see cref="DemandInput.StorageInitializer"/> is given: an init
/// container's limits count in full under limits.* quotas when larger than the app containers' sum (ODH 2.x: 24Gi).
/// A ModelMesh ISVC's replacement is sized as transform sizes it: the ISVC's resources, else the ModelMesh runtime
/// container's, else 1 CPU / 4Gi requested (limits 2 CPU / 8Gi).
/// </remarks>
public static class DemandCalculator
{
    public const string Predictor = "predictor";
    public const string Transformer = "transformer";
    public const string Explainer = "explainer";
    public const string KServeContainer = "kserve-container";

    /// <summary>The label Serverless (and RawDeployment) pods of an ISVC carry.</summary>
    public const string IsvcPodLabel = "serving.kserve.io/inferenceservice";

    private const string KnativeAutoscaling = "autoscaling.knative.dev/";

    /// <summary>The predictor forms before spec.predictor.model: the framework key holds the model container.</summary>
    private static readonly string[] Frameworks = ["sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "pmml", "lightgbm", "paddle", "huggingface"];

    // The same size transform writes into the replacement (ModelMeshDefaultSize), so the count matches what will run.
    private static readonly Requirements ModelMeshDefault = new(
        new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["cpu"] = Quantities.Parse(ModelMeshDefaultSize.DefaultCpuRequest, nameof(ModelMeshDefaultSize)),
            ["memory"] = Quantities.Parse(ModelMeshDefaultSize.DefaultMemoryRequest, nameof(ModelMeshDefaultSize)),
        },
        new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["cpu"] = Quantities.Parse(ModelMeshDefaultSize.DefaultCpuLimit, nameof(ModelMeshDefaultSize)),
            ["memory"] = Quantities.Parse(ModelMeshDefaultSize.DefaultMemoryLimit, nameof(ModelMeshDefaultSize)),
        });

    /// <summary>The item's demand; a bad quantity throws <see cref="QuantityException"/> naming the object and field.</summary>
    public static ItemDemand Compute(DemandInput input)
    {
        var isvc = input.Isvc;
        var notes = new List<string>();
        var modelMesh = input.SourceMode == DeploymentMode.ModelMesh;
        var components = new List<ComponentDemand>();
        if (isvc.At("spec", Predictor) is JsonObject predictor)
        {
            components.Add(PredictorDemand(input, predictor, modelMesh, notes));
        }

        foreach (var name in new[] { Transformer, Explainer })
        {
            if (isvc.At("spec", name) is JsonObject component && ComponentContainers(isvc, name, component) is { Count: > 0 } containers)
            {
                components.Add(Demand($"InferenceService {isvc.Namespace()}/{isvc.Name()}", name, component, Replicas(isvc, name, component, modelMesh: false, null, notes), containers, null, notes));
            }
        }

        var holds = OriginalHolds(input, notes);
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var component in components)
        {
            Amounts.AddInto(total, component.PerReplica, component.Replicas);
        }

        return new ItemDemand
        {
            Namespace = isvc.Namespace() ?? "",
            Name = isvc.Name(),
            Runtime = input.RuntimeName,
            Components = components,
            Total = Amounts.Sorted(total),
            OriginalCanBeStopped = input.SourceMode == DeploymentMode.Serverless,
            OriginalHolds = holds.Requests,
            OriginalHoldsPerNode = holds.PerNode,
            OriginalHoldsLimits = holds.Limits,
            Notes = notes,
        };
    }

    private static ComponentDemand PredictorDemand(DemandInput input, JsonObject predictor, bool modelMesh, List<string> notes)
    {
        var isvc = input.Isvc;
        var isvcRef = $"InferenceService {isvc.Namespace()}/{isvc.Name()}";
        var runtimeRef = $"ServingRuntime {isvc.Namespace()}/{input.RuntimeName}";
        var runtimeContainers = (input.Runtime.At("spec", "containers") as JsonArray ?? []).OfType<JsonObject>().ToList();
        var (model, modelField) = ModelContainer(predictor);
        if (input.Runtime is null && (model is not null || modelMesh))
        {
            notes.Add(input.RuntimeName is null
                ? "no ServingRuntime is known for it: only the InferenceService's own resources are counted"
                : $"ServingRuntime {input.RuntimeName} was not found in {isvc.Namespace()}: only the InferenceService's own resources are counted");
        }

        var containers = new List<(string Name, Requirements Resources)>();
        var serverIndex = modelMesh ? 0 : Math.Max(0, runtimeContainers.FindIndex(c => c.Str("name") == KServeContainer));
        for (var i = 0; i < runtimeContainers.Count; i++)
        {
            var resources = Requirements.Parse(runtimeContainers[i]["resources"], $"{runtimeRef}: spec.containers[{i}].resources");
            if (i == serverIndex && modelMesh)
            {
                resources = ModelMeshSizing(isvcRef, model, resources, notes);
            }
            else if (i == serverIndex && model is not null)
            {
                resources = Requirements.Parse(model["resources"], $"{isvcRef}: spec.predictor.{modelField}.resources").Over(resources);
            }

            containers.Add((i == serverIndex && !modelMesh ? KServeContainer : runtimeContainers[i].Str("name") ?? "", resources));
        }

        if (runtimeContainers.Count == 0 && (model is not null || modelMesh))
        {
            var own = modelMesh
                ? ModelMeshSizing(isvcRef, model, Requirements.None, notes)
                : Requirements.Parse(model!["resources"], $"{isvcRef}: spec.predictor.{modelField}.resources");
            containers.Add((KServeContainer, own));
        }

        var index = 0;
        foreach (var container in (predictor["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var resources = Requirements.Parse(container["resources"], $"{isvcRef}: spec.predictor.containers[{index++}].resources");
            var at = containers.FindIndex(c => c.Name.Length > 0 && c.Name == container.Str("name"));
            if (at >= 0)
            {
                containers[at] = (containers[at].Name, resources.Over(containers[at].Resources));
            }
            else
            {
                containers.Add((container.Str("name") ?? "", resources));
            }
        }

        var runtimeSpec = input.Runtime?["spec"] as JsonObject;
        // A ModelMesh ISVC's replacement is a RawDeployment predictor with the same storageUri: the webhook injects for it too.
        var injected = input.StorageInitializer is { } settings ? StorageInitializer.Injected(predictor, model, settings, notes) : [];
        return Demand(isvcRef, Predictor, predictor, Replicas(isvc, Predictor, predictor, modelMesh, input.Runtime, notes), containers, runtimeSpec, notes, injected);
    }

    /// <summary>As transform sizes the replacement of a ModelMesh ISVC: the ISVC's resources, else the runtime container's when not zero, else the default.</summary>
    private static Requirements ModelMeshSizing(string isvcRef, JsonObject? model, Requirements runtimeContainer, List<string> notes)
    {
        var own = model is null ? Requirements.None : Requirements.Parse(model["resources"], $"{isvcRef}: spec.predictor.model.resources");
        if (!own.IsEmpty)
        {
            return own;
        }

        if (runtimeContainer.Requests().Values.Any(v => v != 0))
        {
            notes.Add("sized by the ModelMesh runtime container's resources (the InferenceService sets none), as transform sizes it");
            return runtimeContainer;
        }

        notes.Add($"neither the InferenceService nor the ModelMesh runtime sets resources: counted at transform's default (requests {ModelMeshDefaultSize.DefaultCpuRequest} CPU, {ModelMeshDefaultSize.DefaultMemoryRequest} memory)");
        return ModelMeshDefault;
    }

    private static ComponentDemand Demand(string isvcRef, string name, JsonObject component, int replicas, List<(string Name, Requirements Resources)> containers, JsonObject? runtimeSpec, List<string> notes, List<ContainerDemand>? injected = null)
    {
        var where = $"{isvcRef}: spec.{name}.initContainers";
        // The webhook appends its init containers after the spec's and its modelcar after the app containers.
        var recorded = InitContainers(component, where)
            .Concat((injected ?? []).Where(c => c.Init is not null))
            .Concat(containers.Select(c => new ContainerDemand(c.Name, Amounts.Sorted(c.Resources.ExplicitRequests), Amounts.Sorted(c.Resources.Limits))))
            .Concat((injected ?? []).Where(c => c.Init is null))
            .ToList();
        // Without a LimitRange: what the pod states. Transform applies the replacement namespace's LimitRanges to the containers.
        var resources = ReplicaResources.Of(recorded, []);
        var selector = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { runtimeSpec?["nodeSelector"], component["nodeSelector"] })
        {
            foreach (var (key, value) in (source as JsonObject ?? []).Where(p => p.Value is JsonValue))
            {
                selector[key] = source.Scalar(key) ?? "";
            }
        }

        // KServe builds the pod spec with a strategic merge of the component's spec over the runtime's
        // (pkg/controller/v1beta1/inferenceservice/utils MergePodSpec): nodeSelector maps merge, but the tolerations
        // list has no merge key, so the component's tolerations, when it has any, replace the runtime's.
        var own = (component["tolerations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var tolerations = (own.Count > 0 ? own : (runtimeSpec?["tolerations"] as JsonArray ?? []).OfType<JsonObject>())
            .Select(Toleration).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (resources.Requests.Count == 0)
        {
            notes.Add($"{name}: no container sets requests or limits; it is counted as requesting nothing (the scheduler places it anywhere, best effort)");
        }

        return new ComponentDemand(name, replicas, resources.Requests, new Dictionary<string, string>(selector, StringComparer.Ordinal))
        {
            Tolerations = tolerations,
            PerReplicaLimits = resources.Limits,
            WithoutLimits = resources.WithoutLimits,
            WithoutRequests = resources.WithoutRequests,
            Containers = recorded,
        };
    }

    /// <summary>The component's own init containers (the runtime has none; what KServe injects is added by <see cref="StorageInitializer"/>).</summary>
    private static IEnumerable<ContainerDemand> InitContainers(JsonObject component, string where) =>
        (component["initContainers"] as JsonArray ?? []).OfType<JsonObject>().Select((c, i) =>
        {
            var resources = Requirements.Parse(c["resources"], $"{where}[{i.ToString(CultureInfo.InvariantCulture)}].resources");
            return new ContainerDemand(c.Str("name") ?? "", Amounts.Sorted(resources.ExplicitRequests), Amounts.Sorted(resources.Limits)) { Init = PodRequests.InitKind(c) };
        }).ToList();

    /// <summary>
    /// The replicas the replacement starts with: minReplicas (for Serverless, Knative's min-scale when minReplicas is
    /// unset, as transform carries it), KServe's default 1 when unset, and 1 for 0: a RawDeployment does not scale to zero.
    /// A ModelMesh ISVC without min/maxReplicas takes the ModelMesh runtime's replicas, as transform does.
    /// </summary>
    private static int Replicas(JsonObject isvc, string name, JsonObject component, bool modelMesh, JsonObject? runtime, List<string> notes)
    {
        var min = WholeNumber(component["minReplicas"]);
        if (min is null && component["maxReplicas"] is null && modelMesh)
        {
            min = WholeNumber(runtime.At("spec", "replicas"));
        }

        min ??= WholeNumber(Knative(component, "min-scale") ?? Knative(component, "minScale") ?? Knative(isvc["metadata"], "min-scale") ?? Knative(isvc["metadata"], "minScale"));
        if (min == 0)
        {
            notes.Add($"{name}: minReplicas 0 (scale to zero); a RawDeployment does not scale to zero, so its replacement starts 1 pod");
            return 1;
        }

        return Math.Max(1, min ?? 1);
    }

    private static JsonNode? Knative(JsonNode? holder, string key) =>
        holder.At("annotations") is JsonObject annotations && annotations.Scalar(KnativeAutoscaling + key) is { } value ? JsonValue.Create(value) : null;

    // The YAML reader may hold a number as any CLR numeric type; its JSON text is the same whichever.
    private static int? WholeNumber(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && int.TryParse(v.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) => s,
        _ => null,
    };

    private static (JsonObject? Container, string Field) ModelContainer(JsonObject predictor)
    {
        if (predictor["model"] is JsonObject model)
        {
            return (model, "model");
        }

        var framework = Frameworks.FirstOrDefault(f => predictor[f] is JsonObject);
        return framework is null ? (null, "") : ((JsonObject)predictor[framework]!, framework);
    }

    private static List<(string Name, Requirements Resources)> ComponentContainers(JsonObject isvc, string name, JsonObject component)
    {
        var where = $"InferenceService {isvc.Namespace()}/{isvc.Name()}: spec.{name}";
        var list = (component["containers"] as JsonArray ?? []).OfType<JsonObject>()
            .Select((c, i) => (c.Str("name") ?? "", Requirements.Parse(c["resources"], $"{where}.containers[{i}].resources"))).ToList();
        // The explainer's built-in form (art; alibi in older CRDs) is one container spec under its key.
        foreach (var key in new[] { "art", "alibi" })
        {
            if (component[key] is JsonObject container)
            {
                list.Add((container.Str("name") ?? KServeContainer, Requirements.Parse(container["resources"], $"{where}.{key}.resources")));
            }
        }

        return list;
    }

    private static string Toleration(JsonObject t)
    {
        // "key" is operator Exists, "key=value" (also "key=") Equal, "*" an empty key with Exists (tolerates every taint).
        var key = t.Str("key") is { Length: > 0 } k ? k : "*";
        var value = t.Str("operator") == "Exists" ? "" : "=" + (t.Str("value") ?? "");
        var effect = t.Str("effect") is { Length: > 0 } e ? ":" + e : "";
        return key + value + effect;
    }

    /// <summary>What the original holds while it runs (requests, the same per node its pods are bound to, and limits): a Serverless ISVC's running pods; unknown for ModelMesh (shared runtime pods).</summary>
    private static Holds OriginalHolds(DemandInput input, List<string> notes)
    {
        if (input.SourceMode == DeploymentMode.ModelMesh)
        {
            notes.Add("the original is served by the ModelMesh runtime's shared pods; they free capacity only when the last InferenceService on the runtime is cleaned up, so nothing is counted as freed by this one");
            return new([], [], []);
        }

        if (input.SourceMode != DeploymentMode.Serverless)
        {
            return new([], [], []);
        }

        if (input.Pods is null)
        {
            notes.Add("pods could not be listed: what the original holds is unknown");
            return new([], [], []);
        }

        var holds = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var limits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var perNode = new SortedDictionary<string, Dictionary<string, decimal>>(StringComparer.Ordinal);
        var running = input.Pods.Where(p => p.Label(IsvcPodLabel) == input.Isvc.Name() && !PodRequests.IsTerminated(p)).ToList();
        foreach (var pod in running)
        {
            var requests = PodRequests.Of(pod);
            Amounts.AddInto(holds, requests);
            Amounts.AddInto(limits, PodRequests.LimitsOf(pod));
            if (pod.At("spec").Str("nodeName") is { Length: > 0 } node)
            {
                Amounts.AddInto(perNode.TryGetValue(node, out var onNode) ? onNode : perNode[node] = new(StringComparer.Ordinal), requests);
            }
        }

        if (running.Count == 0)
        {
            notes.Add("the original has no running pods (scaled to zero): stopping it frees nothing");
        }

        return new(Amounts.Sorted(holds), perNode.ToDictionary(n => n.Key, n => Amounts.Sorted(n.Value), StringComparer.Ordinal), Amounts.Sorted(limits));
    }

    private sealed record Holds(Dictionary<string, decimal> Requests, Dictionary<string, Dictionary<string, decimal>> PerNode, Dictionary<string, decimal> Limits);
}
