using System.Globalization;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Http.Tables;

/// <summary>
/// The columns kube-apiserver's printers give the built-in kinds the tools touch (kubernetes/kubernetes
/// pkg/printers/internalversion/printers.go: AddHandlers, printNamespace, printSecret, printConfigMap,
/// printServiceAccount, printService, printPod, printPersistentVolumeClaim, printRole, printRoleBinding) and
/// OpenShift's Route printer (openshift/openshift-apiserver pkg/route/printers/internalversion/printers.go).
/// Kinds without a printer get the API server's default Name/Created At table (rest.DefaultTableConvertor).
/// </summary>
public static class BuiltinPrinters
{
    private static readonly TableColumn Name = TableColumn.NameColumn;
    private static readonly TableColumn Age = TableColumn.AgeColumn;

    public static IReadOnlyList<TableColumn> For(ResourceKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return (kind.Group, kind.Plural) switch
        {
            ("", "namespaces") => [Name, Text("Status", "The status of the namespace", o => o.At("status", "phase")?.ToString() ?? string.Empty), Age],
            ("", "secrets") => [Name, Text("Type", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types", o => o.Str("type") ?? string.Empty), Column("Data", "string", "Data contains the secret data.", o => Count(o["data"]) + Count(o["stringData"])), Age],
            ("", "configmaps") => [Name, Column("Data", "string", "Data contains the configuration data.", o => Count(o["data"]) + Count(o["binaryData"])), Age],
            ("", "serviceaccounts") => [Name, Column("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", o => Count(o["secrets"])), Age],
            ("", "services") => ServiceColumns,
            ("", "pods") => PodColumns,
            ("", "persistentvolumeclaims") => ClaimColumns,
            ("rbac.authorization.k8s.io", "roles") => [Name, CreatedAt],
            ("rbac.authorization.k8s.io", "rolebindings") => RoleBindingColumns,
            ("route.openshift.io", "routes") => RoutePrinter.Columns,
            _ => [Name, CreatedAt],
        };
    }

    /// <summary>Role's and the default convertor's "Created At": the creation time in RFC 3339, UTC.</summary>
    private static TableColumn CreatedAt { get; } = new("Created At", "date", string.Empty, TableColumn.CreationTimestampDescription, 0, (o, _) =>
        DateTimeOffset.TryParse(o.At("metadata", "creationTimestamp")?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "0001-01-01T00:00:00Z");

    private static IReadOnlyList<TableColumn> ServiceColumns { get; } =
    [
        Name,
        Text("Type", "type determines how the Service is exposed.", o => o.At("spec", "type")?.ToString() ?? "ClusterIP"),
        Text("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly.", o => o.At("spec", "clusterIP")?.ToString() is { Length: > 0 } ip ? ip : "<none>"),
        Text("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.", ServiceExternalIp),
        Text("Port(s)", "The list of ports that are exposed by this service.", ServicePorts),
        Age,
        Text("Selector", "Route service traffic to pods with label keys and values matching this selector.", o => Labels(o.At("spec", "selector")), priority: 1),
    ];

    private static IReadOnlyList<TableColumn> PodColumns { get; } =
    [
        Name,
        Text("Ready", "The aggregate readiness state of this pod for accepting traffic.", o =>
            Invariant($"{Items(o.At("status", "containerStatuses")).Count(c => c["ready"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)}/{Items(o.At("spec", "containers")).Count()}")),
        Text("Status", "The aggregate status of the containers in this pod.", PodStatus),
        Text("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", o =>
            Items(o.At("status", "containerStatuses")).Sum(c => c["restartCount"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0).ToString(CultureInfo.InvariantCulture)),
        Age,
        Text("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", o => o.At("status", "podIP")?.ToString() is { Length: > 0 } ip ? ip : "<none>", priority: 1),
        Text("Node", "NodeName indicates in which node this pod is scheduled.", o => o.At("spec", "nodeName")?.ToString() is { Length: > 0 } n ? n : "<none>", priority: 1),
        Text("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node.", o => o.At("status", "nominatedNodeName")?.ToString() is { Length: > 0 } n ? n : "<none>", priority: 1),
        Text("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", ReadinessGates, priority: 1),
    ];

    private static IReadOnlyList<TableColumn> ClaimColumns { get; } =
    [
        Name,
        Text("Status", "phase represents the current phase of PersistentVolumeClaim.", o => o.At("metadata", "deletionTimestamp") is not null ? "Terminating" : o.At("status", "phase")?.ToString() ?? string.Empty),
        Text("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim.", o => o.At("spec", "volumeName")?.ToString() ?? string.Empty),
        Text("Capacity", "capacity represents the actual resources of the underlying volume.", o => Bound(o) ? o.At("status", "capacity", "storage")?.ToString() ?? "0" : string.Empty),
        Text("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has.", o => Bound(o) ? AccessModes(o.At("status", "accessModes")) : string.Empty),
        Text("StorageClass", "StorageClass of the pvc", o => o.At("metadata", "annotations", "volume.beta.kubernetes.io/storage-class")?.ToString() ?? o.At("spec", "storageClassName")?.ToString() ?? string.Empty),
        Text("VolumeAttributesClass", "VolumeAttributesClass of the pvc", o => o.At("spec", "volumeAttributesClassName")?.ToString() ?? "<unset>"),
        Age,
        Text("VolumeMode", "volumeMode defines what type of volume is required by the claim.", o => o.At("spec", "volumeMode")?.ToString() ?? "<unset>", priority: 1),
    ];

    private static IReadOnlyList<TableColumn> RoleBindingColumns { get; } =
    [
        Name,
        Text("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.", o => $"{o.At("roleRef", "kind")}/{o.At("roleRef", "name")}"),
        Age,
        Text("Users", "Users in the roleBinding", o => Subjects(o, "User", s => s.Str("name") ?? string.Empty), priority: 1),
        Text("Groups", "Groups in the roleBinding", o => Subjects(o, "Group", s => s.Str("name") ?? string.Empty), priority: 1),
        Text("ServiceAccounts", "ServiceAccounts in the roleBinding", o => Subjects(o, "ServiceAccount", s => $"{s.Str("namespace")}/{s.Str("name")}"), priority: 1),
    ];

    internal static TableColumn Text(string name, string description, Func<JsonObject, string> cell, int priority = 0) =>
        new(name, "string", string.Empty, description, priority, (o, _) => cell(o));

    internal static IEnumerable<JsonObject> Items(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    private static TableColumn Column(string name, string type, string description, Func<JsonObject, long> cell) =>
        new(name, type, string.Empty, description, 0, (o, _) => JsonValue.Create(cell(o)));

    private static long Count(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Count,
        JsonArray array => array.Count,
        _ => 0,
    };

    private static bool Bound(JsonObject claim) => claim.At("spec", "volumeName")?.ToString() is { Length: > 0 };

    /// <summary>helper.GetAccessModesAsString: the abbreviations in a fixed order, each once.</summary>
    private static string AccessModes(JsonNode? modes)
    {
        var set = (modes as JsonArray ?? []).Select(m => m?.ToString()).ToHashSet();
        var order = new[] { ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP") };
        return string.Join(',', order.Where(m => set.Contains(m.Item1)).Select(m => m.Item2));
    }

    private static string Subjects(JsonObject binding, string kind, Func<JsonObject, string> format) =>
        string.Join(", ", Items(binding["subjects"]).Where(s => s.Str("kind") == kind).Select(format));

    /// <summary>labels.FormatLabels: sorted k=v pairs, or &lt;none&gt;.</summary>
    private static string Labels(JsonNode? selector) =>
        selector is JsonObject { Count: > 0 } map
            ? string.Join(',', map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))
            : "<none>";

    private static string ServiceExternalIp(JsonObject service)
    {
        var external = (service.At("spec", "externalIPs") as JsonArray ?? []).Select(i => i?.ToString()).ToList();
        switch (service.At("spec", "type")?.ToString() ?? "ClusterIP")
        {
            case "LoadBalancer":
                var ingress = Items(service.At("status", "loadBalancer", "ingress")).Select(i => i.Str("ip") ?? i.Str("hostname")).Where(i => !string.IsNullOrEmpty(i)).ToList();
                var all = ingress.Concat(external).ToList();
                return all.Count > 0 ? string.Join(',', all) : "<pending>";
            case "ExternalName":
                return service.At("spec", "externalName")?.ToString() ?? string.Empty;
            default:
                return external.Count > 0 ? string.Join(',', external) : "<none>";
        }
    }

    /// <summary>makePortString: port[:nodePort]/protocol, comma-separated.</summary>
    private static string ServicePorts(JsonObject service)
    {
        var ports = Items(service.At("spec", "ports")).Select(p =>
        {
            var protocol = p.Str("protocol") ?? "TCP";
            return p["nodePort"] is JsonValue node ? $"{p["port"]}:{node}/{protocol}" : $"{p["port"]}/{protocol}";
        }).ToList();
        return ports.Count > 0 ? string.Join(',', ports) : "<none>";
    }

    /// <summary>printPod's status: the phase, or the pod's reason, a waiting/terminated container's reason, Terminating.</summary>
    private static string PodStatus(JsonObject pod)
    {
        var reason = pod.At("status", "reason")?.ToString() is { Length: > 0 } r ? r : pod.At("status", "phase")?.ToString() ?? string.Empty;
        foreach (var container in Items(pod.At("status", "containerStatuses")).Reverse())
        {
            if (container.At("state", "waiting", "reason")?.ToString() is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (container.At("state", "terminated", "reason")?.ToString() is { Length: > 0 } terminated)
            {
                reason = terminated;
            }
        }

        if (pod.At("metadata", "deletionTimestamp") is not null)
        {
            reason = pod.At("status", "reason")?.ToString() == "NodeLost" ? "Unknown" : "Terminating";
        }

        return reason;
    }

    /// <summary>How many of the pod's readiness gates have a True condition, of how many.</summary>
    private static string ReadinessGates(JsonObject pod)
    {
        var gates = Items(pod.At("spec", "readinessGates")).Select(g => g.Str("conditionType")).ToList();
        if (gates.Count == 0)
        {
            return "<none>";
        }

        var met = Items(pod.At("status", "conditions")).Count(c => gates.Contains(c.Str("type")) && c.Str("status") == "True");
        return Invariant($"{met}/{gates.Count}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
