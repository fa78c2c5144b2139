using System.Net;
using System.Text;

namespace OdhMigration.Cluster.Tests.Live;

/// <summary>An HTTP handler that answers from a script, recording every request it saw.</summary>
public sealed class ScriptedHandler(Func<HttpRequestMessage, int, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private int _count;

    public List<string> Seen { get; } = [];

    public int Count => _count;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _count);
        lock (Seen)
        {
            Seen.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
        }

        return await respond(request, n).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public static HttpResponseMessage Json(HttpStatusCode code, string json) =>
        new(code) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Status(HttpStatusCode code, string reason, string message) =>
        Json(code, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"{{reason}}","message":"{{message}}","code":{{(int)code}}}""");
}
