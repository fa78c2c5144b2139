using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Web;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cluster.Tests.Live;

/// <summary>
/// A minimal read-only Kubernetes REST API over a snapshot: get and paged list (limit/continue, labelSelector) for
/// every known kind, and SelfSubjectAccessReview answering "allowed". Enough to drive LiveCluster against the same
/// objects a SnapshotCluster holds.
/// </summary>
public sealed class SnapshotApiHandler(SnapshotCluster snapshot) : HttpMessageHandler
{
    private int _requests;

    public int Requests => _requests;

    public int PageSize { get; init; } = 3;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var uri = request.RequestUri!;
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (request.Method == HttpMethod.Post && uri.AbsolutePath.EndsWith("/selfsubjectaccessreviews", StringComparison.Ordinal))
        {
            var review = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
            review["status"] = new JsonObject { ["allowed"] = true };
            return ScriptedHandler.Json(HttpStatusCode.Created, review.ToJsonString());
        }

        var (group, rest) = segments[0] == "api" ? ("", segments[2..]) : (segments[1], segments[3..]);
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var kind = Kinds.All.FirstOrDefault(k => k.Group == group && k.Plural == rest[0]);
        if (kind is null)
        {
            return ScriptedHandler.Status(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");
        }

        if (rest.Length == 2)
        {
            var obj = await snapshot.GetAsync(kind, ns, rest[1], cancellationToken);
            return obj is null
                ? ScriptedHandler.Status(HttpStatusCode.NotFound, "NotFound", $"{kind.GroupResource} \\\"{rest[1]}\\\" not found")
                : ScriptedHandler.Json(HttpStatusCode.OK, obj.ToJsonString());
        }

        var query = HttpUtility.ParseQueryString(uri.Query);
        var all = await snapshot.ListAsync(kind, ns, query["labelSelector"], cancellationToken);
        var offset = int.Parse(query["continue"] ?? "0", CultureInfo.InvariantCulture);
        var page = all.Skip(offset).Take(PageSize).ToList();
        var next = offset + page.Count < all.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        var items = new JsonArray();
        foreach (var item in page)
        {
            item.Remove("apiVersion"); // as a real list does
            item.Remove("kind");
            items.Add((JsonNode)item);
        }

        var list = new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion,
            ["kind"] = kind.Kind + "List",
            ["metadata"] = next is null ? new JsonObject() : new JsonObject { ["continue"] = next },
            ["items"] = items,
        };
        return ScriptedHandler.Json(HttpStatusCode.OK, list.ToJsonString());
    }
}
