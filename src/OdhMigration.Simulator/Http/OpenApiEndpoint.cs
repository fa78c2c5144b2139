using System.Text;
using Microsoft.AspNetCore.Http;
using OdhMigration.Simulator.Discovery;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Http;

/// <summary>
/// Serves the OpenAPI documents as JSON. A client that accepts only protobuf (client-go's OpenAPISchema asks
/// /openapi/v2 for <c>application/com.github.proto-openapi.spec.v2@v1.0+protobuf</c>) gets 406 NotAcceptable, which
/// client-go treats as "not served here", rather than JSON it cannot decode.
/// </summary>
internal static class OpenApiEndpoint
{
    public static async Task WriteAsync(HttpContext context, OpenApiDocuments documents, string path, CancellationToken cancellationToken)
    {
        var json = documents.For(path) ?? throw new ApiException(404, "NotFound", $"the simulator serves no OpenAPI document at {path}");
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Length > 0 && !accept.Contains("json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal))
        {
            throw new ApiException(406, "NotAcceptable", $"only the following media types are accepted: application/json");
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json), cancellationToken);
    }
}
