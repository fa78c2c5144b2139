using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Simulator;

/// <summary>How a simulator instance listens and which cluster behaviours it emulates. Every behaviour is on by default.</summary>
public sealed record SimulatorOptions
{
    /// <summary>Listen address, "127.0.0.1:0" picks a free port. Only loopback addresses are accepted.</summary>
    public string Listen { get; init; } = "127.0.0.1:0";

    /// <summary>Bearer token written into kubeconfigs. The server accepts any token (it does not authenticate).</summary>
    public string Token { get; init; } = "simulator-token";

    public KServeControllerOptions KServe { get; init; } = new();

    /// <summary>KServe's validating webhook for InferenceServices (deployment mode changes, names, implementations, autoscaling).</summary>
    public bool DeploymentModeWebhook { get; init; } = true;

    /// <summary>KServe's validating webhook for ServingRuntimes (autoSelect priorities per model format, multi-node rules).</summary>
    public bool ServingRuntimeWebhook { get; init; } = true;

    /// <summary>Fills kubernetes.io/service-account-token Secrets whose ServiceAccount exists.</summary>
    public bool TokenController { get; init; } = true;

    /// <summary>Owner-reference garbage collection and namespace content deletion.</summary>
    public bool GarbageCollector { get; init; } = true;

    /// <summary>Rules answering SelfSubjectAccessReviews.</summary>
    public AccessRules Access { get; init; } = AccessRules.AllowAll;

    /// <summary>
    /// Authorise every resource request by <see cref="Access"/> too (403 Forbidden when the rules say no), as RBAC
    /// would for one identity. Off by default: the rules then only shape the answers to access reviews.
    /// </summary>
    public bool EnforceAccess { get; init; }

    /// <summary>Initial fault injection; adjustable at runtime through POST /simulator/faults.</summary>
    public FaultSettings Faults { get; init; } = FaultSettings.None;

    /// <summary>Kinds served besides <see cref="Kinds.All"/> (CRDs in a snapshot register theirs automatically).</summary>
    public IReadOnlyList<ResourceKind> ExtraKinds { get; init; } = [];

    /// <summary>
    /// The CRD schemas custom resources are pruned, defaulted and validated against (one compiled set can serve many
    /// simulators). Null: the snapshot's CRDs when started from a path, else none (every kind schemaless).
    /// </summary>
    public Schema.CrdSchemas? Crds { get; init; }

    /// <summary>How many change events are kept for watches that resume from a resourceVersion.</summary>
    public int WatchHistory { get; init; } = 10_000;

    /// <summary>Interval between BOOKMARK events on watches that ask for them.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>The emulated KServe controller for RawDeployment InferenceServices.</summary>
public sealed record KServeControllerOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The cluster default deployment mode (inferenceservice-config "deploy.defaultDeploymentMode") used for an
    /// ISVC without the serving.kserve.io/deploymentMode annotation. ODH 2.x defaults to Serverless.
    /// </summary>
    public string DefaultDeploymentMode { get; init; } = "Serverless";

    /// <summary>How long after a spec change a Raw ISVC becomes Ready.</summary>
    public TimeSpan ReadyDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Remove KServe's finalizer from deleted ISVCs (of every mode), as the real controller does once it has cleaned up.</summary>
    public bool ReleaseFinalizers { get; init; } = true;

    /// <summary>Domain of exposed (networking.kserve.io/visibility=exposed) ISVC URLs: https://name-ns.&lt;domain&gt;.</summary>
    public string AppsDomain { get; init; } = "apps.sim.local";
}

/// <summary>
/// One SelfSubjectAccessReview rule; "*" matches anything, a null namespace matches every namespace. Names, like RBAC's
/// resourceNames, limits the rule to requests for those objects: a request without a name (list, watch, create) never matches it.
/// </summary>
public sealed record AccessRule(string Verb = "*", string Group = "*", string Resource = "*", string? Namespace = null, bool Allowed = true, IReadOnlyList<string>? Names = null);

/// <summary>Ordered rules (first match wins) and the answer when none matches.</summary>
public sealed record AccessRules(IReadOnlyList<AccessRule> Rules, bool Default)
{
    public static AccessRules AllowAll { get; } = new([], true);

    public bool Allows(string verb, string group, string resource, string? ns, string? name = null)
    {
        foreach (var rule in Rules)
        {
            if (Match(rule.Verb, verb) && Match(rule.Group, group) && Match(rule.Resource, resource) && (rule.Namespace is null or "*" || rule.Namespace == ns)
                && (rule.Names is null || (name is not null && rule.Names.Contains(name, StringComparer.Ordinal))))
            {
                return rule.Allowed;
            }
        }

        return Default;
    }

    private static bool Match(string pattern, string value) => pattern == "*" || string.Equals(pattern, value, StringComparison.Ordinal);
}
