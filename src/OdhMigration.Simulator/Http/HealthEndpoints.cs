using System.Text;
using Microsoft.AspNetCore.Http;

namespace OdhMigration.Simulator.Http;

/// <summary>
/// <c>/healthz</c>, <c>/livez</c>, <c>/readyz</c> and their individual checks (<c>/readyz/etcd</c>), answered as the
/// API server answers them: <c>text/plain</c> "ok", or with <c>?verbose</c> one <c>[+]check ok</c> line per check and
/// "<c>&lt;endpoint&gt; check passed</c>" (k8s.io/apiserver pkg/server/healthz/healthz.go handleRootHealth).
/// The simulator is healthy whenever it answers, so every check passes.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly string[] LiveChecks = ["ping", "log", "etcd"];
    private static readonly string[] ReadyChecks = ["ping", "log", "etcd", "etcd-readiness", "informer-sync", "shutdown"];

    public static bool Matches(string path) => Endpoint(path) is not null;

    public static async Task WriteAsync(HttpContext context, string path, CancellationToken cancellationToken)
    {
        var (endpoint, check) = Endpoint(path)!.Value;
        var checks = endpoint == "readyz" ? ReadyChecks : LiveChecks;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        string body;
        if (check is not null)
        {
            if (!checks.Contains(check, StringComparer.Ordinal))
            {
                context.Response.StatusCode = 404;
                body = "404 page not found\n";
            }
            else
            {
                body = "ok";
            }
        }
        else if (context.Request.Query.ContainsKey("verbose"))
        {
            var text = new StringBuilder();
            foreach (var name in checks)
            {
                text.Append("[+]").Append(name).Append(" ok\n");
            }

            body = text.Append(endpoint).Append(" check passed\n").ToString();
        }
        else
        {
            body = "ok";
        }

        await context.Response.WriteAsync(body, cancellationToken);
    }

    private static (string Endpoint, string? Check)? Endpoint(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts.Length is < 1 or > 2 || parts[0] is not ("healthz" or "livez" or "readyz"))
        {
            return null;
        }

        return (parts[0], parts.Length == 2 ? parts[1] : null);
    }
}
