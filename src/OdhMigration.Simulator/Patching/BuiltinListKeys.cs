namespace OdhMigration.Simulator.Patching;

/// <summary>
/// How the built-in kinds' lists are keyed, by field name (k8s.io/api core/v1 types.go tags): one table for
/// strategic merge patch and for server-side apply's field ownership, which key the same lists the same way.
/// </summary>
internal static class BuiltinListKeys
{
    /// <summary>patchMergeKey by field name (k8s.io/api core/v1 types.go tags); ports use port or containerPort by shape.</summary>
    public static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["secrets"] = "name",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
        ["schedulingGates"] = "name",
        ["conditions"] = "type",
        ["ports"] = "port",
    };

    /// <summary>Primitive lists with patchStrategy merge: set union.</summary>
    public static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "finalizers" };
}
