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

    /// <summary>The answers, and the questions that could not be answered (each with why): the pre-flight is advice, never a gate.</summary>
    public sealed record Result(List<PreflightCheck> Checks, List<(string Question, string Error)> Unanswered);

    public static async Task<Result> RunAsync(ICluster cluster, IReadOnlyCollection<string> namespaces, CancellationToken cancellationToken)
    {
        var wanted = new List<(string Stage, string Verb, ResourceKind Kind, string Namespace)>();
        foreach (var (stage, nsVerbs, routeVerbs) in Requirements)
        {
            foreach (var ns in namespaces.Order(StringComparer.Ordinal))
            {
                wanted.AddRange(from verb in nsVerbs from kind in NamespaceKinds select (stage, verb, kind, ns));
            }

            if (namespaces.Count > 0)
            {
                wanted.AddRange(routeVerbs.Select(verb => (stage, verb, Kinds.Route, RouteNamespace)));
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
            .Select(w => new PreflightCheck(w.Stage, w.Verb, w.Kind.GroupResource, w.Namespace, answers[(w.Verb, w.Kind, w.Namespace)].Allowed!.Value))
            .ToList();
        var unanswered = answers.Values
            .Where(a => a.Allowed is null)
            .Select(a => ($"{a.q.Verb} {a.q.Kind.GroupResource} in {a.q.Namespace}", a.Error!))
            .ToList();
        return new Result(checks, unanswered);
    }

    /// <summary>One line per stage that would be refused something, naming what.</summary>
    public static IEnumerable<string> Refusals(IEnumerable<PreflightCheck> checks) =>
        checks.Where(c => !c.Allowed)
            .GroupBy(c => c.Stage, StringComparer.Ordinal)
            .Select(g => $"{g.Key} would be refused: " + string.Join(", ", g.Select(c => $"{c.Verb} {c.Resource} in {c.Namespace}")));
}
