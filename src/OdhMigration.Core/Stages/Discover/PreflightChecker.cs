using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Discover;

/// <summary>
/// Asks the API server (SelfSubjectAccessReview) whether the current identity may do what each later stage will
/// need, so a user learns before apply that, say, cleanup would be refused. The number of reviews depends on the
/// namespaces, never on the number of InferenceServices.
/// </summary>
public static class PreflightChecker
{
    public const string RouteNamespace = "istio-system";

    /// <summary>The kinds every stage touches in a project namespace.</summary>
    public static readonly ResourceKind[] NamespaceKinds =
        [Kinds.InferenceService, Kinds.ServingRuntime, Kinds.ServiceAccount, Kinds.Role, Kinds.RoleBinding, Kinds.Secret];

    /// <summary>(stage, verbs on the namespace kinds, verbs on Routes in istio-system).</summary>
    public static readonly (string Stage, string[] NamespaceVerbs, string[] RouteVerbs)[] Requirements =
    [
        ("export", ["get", "list"], ["get", "list"]),
        ("apply", ["create", "patch"], []),
        ("cleanup", ["delete"], ["delete"]),
    ];

    /// <summary>
    /// What export reads only for capacity-aware waves: nodes and pods in all namespaces (cluster-wide, the optional
    /// grant) and each namespace's ResourceQuotas and LimitRanges. Asked as export's and reported as optional: without them export still
    /// succeeds, only --waves auto loses what it plans with.
    /// </summary>
    public const string CapacityStage = "export";

    /// <summary>The optional grant that lets export read nodes and all pods (the file export's CapacityReader names too; a stage folder does not use another stage's code).</summary>
    public const string CapacityGrant = "tekton/rbac/optional/cluster-capacity.yaml";

    /// <summary>The answers, and the questions that could not be answered (each with why): the pre-flight is advice, never a gate.</summary>
    public sealed record Result(List<PreflightCheck> Checks, List<(string Question, string Error)> Unanswered);

    public static async Task<Result> RunAsync(ICluster cluster, IReadOnlyCollection<string> namespaces, CancellationToken cancellationToken)
    {
        var wanted = new List<(string Stage, string Verb, ResourceKind Kind, string? Namespace)>();
        foreach (var (stage, nsVerbs, routeVerbs) in Requirements)
        {
            foreach (var ns in namespaces.Order(StringComparer.Ordinal))
            {
                wanted.AddRange(from verb in nsVerbs from kind in NamespaceKinds select (stage, verb, kind, (string?)ns));
            }

            if (namespaces.Count > 0)
            {
                wanted.AddRange(routeVerbs.Select(verb => (stage, verb, Kinds.Route, (string?)RouteNamespace)));
            }
        }

        var optional = new HashSet<(string Verb, ResourceKind Kind, string? Namespace)>();
        if (namespaces.Count > 0)
        {
            foreach (var kind in new[] { Kinds.Node, Kinds.Pod })
            {
                wanted.Add((CapacityStage, "list", kind, null));
                optional.Add(("list", kind, null));
            }

            foreach (var ns in namespaces.Order(StringComparer.Ordinal))
            {
                foreach (var kind in new[] { Kinds.ResourceQuota, Kinds.LimitRange })
                {
                    wanted.Add((CapacityStage, "list", kind, ns));
                    optional.Add(("list", kind, ns));
                }
            }
        }

        // Each distinct question is asked once, a few at a time, however many stages share it. One that cannot be
        // answered (the API server kept failing, or refuses access reviews) stays unanswered; the others still count.
        var questions = wanted.Select(w => (w.Verb, w.Kind, w.Namespace)).Distinct().ToList();
        using var gate = new SemaphoreSlim(8);
        var tasks = questions.Select(async q =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return (q, Allowed: (bool?)await cluster.CanIAsync(q.Verb, q.Kind, q.Namespace, cancellationToken).ConfigureAwait(false), Error: (string?)null);
            }
            catch (Exception ex) when (ex is ClusterException or HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return (q, Allowed: (bool?)null, Error: (string?)PlainErrors.Describe(ex));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var answers = (await Task.WhenAll(tasks).ConfigureAwait(false)).ToDictionary(a => a.q);

        var checks = wanted
            .Where(w => answers[(w.Verb, w.Kind, w.Namespace)].Allowed is not null)
            .Select(w => new PreflightCheck(w.Stage, w.Verb, w.Kind.GroupResource, w.Namespace, answers[(w.Verb, w.Kind, w.Namespace)].Allowed!.Value, optional.Contains((w.Verb, w.Kind, w.Namespace))))
            .ToList();
        var unanswered = answers.Values
            .Where(a => a.Allowed is null)
            .Select(a => ($"{a.q.Verb} {a.q.Kind.GroupResource} in {a.q.Namespace ?? "all namespaces"}", a.Error!))
            .ToList();
        return new Result(checks, unanswered);
    }

    /// <summary>One line per stage that would be refused something it needs, naming what (optional permissions: <see cref="OptionalWarnings"/>).</summary>
    public static IEnumerable<string> Refusals(IEnumerable<PreflightCheck> checks) =>
        checks.Where(c => !c.Allowed && !c.Optional)
            .GroupBy(c => c.Stage, StringComparer.Ordinal)
            .Select(g => $"{g.Key} would be refused: " + string.Join(", ", g.Select(c => $"{c.Verb} {c.Resource} in {c.Namespace}")));

    /// <summary>
    /// What a refused optional permission will cost, one line each: without nodes and pods in all namespaces export
    /// cannot record the cluster's free capacity, so transform refuses --waves auto; without a namespace's quotas, wave
    /// planning does not know its limits. Warnings only: every stage still runs.
    /// </summary>
    public static IEnumerable<string> OptionalWarnings(IEnumerable<PreflightCheck> checks)
    {
        var refused = checks.Where(c => c is { Optional: true, Allowed: false }).ToList();
        var cluster = refused.Where(c => c.Namespace is null).Select(c => c.Resource).ToList();
        if (cluster.Count > 0)
        {
            yield return $"optional: export may not list {string.Join(" and ", cluster)} in all namespaces, so capacity.json will not record the cluster's free capacity and `--waves auto` will not be possible (transform refuses it); bind {CapacityGrant} to allow it, or plan waves with --wave-size N";
        }

        foreach (var quota in refused.Where(c => c.Namespace is not null))
        {
            yield return quota.Resource == Kinds.LimitRange.GroupResource
                ? $"optional: export may not list {quota.Resource} in {quota.Namespace}, so the defaults its LimitRanges give containers will be unknown to `--waves auto` (a container stating no limit under a limits.* quota is refused)"
                : $"optional: export may not list {quota.Resource} in {quota.Namespace}, so its quota limits will be unknown to `--waves auto` (the waves may not fit the namespace's quotas)";
        }
    }
}
