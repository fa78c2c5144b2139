using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Http;

/// <summary>Reading request bodies and writing JSON responses.</summary>
internal static class HttpJson
{
    public static async Task WriteAsync(HttpContext context, int status, JsonNode body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, cancellationToken);
    }

    public static async Task<string> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>Parses a JSON body; apply requests may be YAML (kubectl sends JSON, which YAML also accepts).</summary>
    public static JsonNode ParseBody(string body, bool allowYaml)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw ApiException.BadRequest("the request body is empty");
        }

        try
        {
            return JsonNode.Parse(body) ?? throw ApiException.BadRequest("the request body is null");
        }
        catch (System.Text.Json.JsonException) when (allowYaml)
        {
            try
            {
                return Core.Manifests.Yaml.ParseSingle(body, "request body") ?? throw ApiException.BadRequest("the request body is empty");
            }
            catch (Core.Manifests.ManifestFormatException ex)
            {
                throw ApiException.BadRequest(ex.Message);
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {ex.Message}");
        }
    }

    public static JsonObject ParseObject(string body, bool allowYaml = false) =>
        ParseBody(body, allowYaml) as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
}
