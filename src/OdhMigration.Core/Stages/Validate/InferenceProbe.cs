using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Validate;

/// <summary>
/// The optional smoke test: POSTs the request to an ISVC endpoint (v1 :predict or v2 /infer) with a bearer token when
/// one is given. The token only ever goes into the Authorization header; messages never carry it or the response body.
/// </summary>
public sealed class InferenceProbe(HttpClient http)
{
    public sealed record Response(int StatusCode, JsonNode? Body, string? Error);

    /// <summary>v2 when the body has "inputs" entries with a datatype (Open Inference Protocol), else v1.</summary>
    public static string Protocol(JsonNode request) =>
        request["inputs"] is JsonArray inputs && inputs.OfType<JsonObject>().Any(i => i["datatype"] is not null) ? "v2" : "v1";

    public static string EndpointFor(string baseUrl, string model, string protocol) =>
        baseUrl.TrimEnd('/') + (protocol == "v2" ? $"/v2/models/{model}/infer" : $"/v1/models/{model}:predict");

    public async Task<Response> SendAsync(string url, string body, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonNode? parsed = null;
            try
            {
                parsed = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON (an HTML error page): the status code says enough.
            }

            return new Response((int)response.StatusCode, parsed, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Response(0, null, $"cannot reach {url}: {PlainErrors.Describe(ex)}");
        }
    }

    /// <summary>Runs the smoke test against the new endpoint and, when asked, the original; compares outputs.</summary>
    public async Task<InferenceCheck> CheckAsync(string body, string protocol, string newUrl, string newModel, string? newToken, string? originalUrl, string? originalModel, string? originalToken, double tolerance, CancellationToken cancellationToken)
    {
        var endpoint = EndpointFor(newUrl, newModel, protocol);
        var fresh = await SendAsync(endpoint, body, newToken, cancellationToken).ConfigureAwait(false);
        if (fresh.Error is not null)
        {
            return new InferenceCheck { Protocol = protocol, Url = endpoint, StatusCode = fresh.StatusCode, Passed = false, Message = $"inference request failed: {fresh.Error}" };
        }

        if (originalUrl is null || originalModel is null)
        {
            return new InferenceCheck { Protocol = protocol, Url = endpoint, StatusCode = fresh.StatusCode, Passed = true, Message = "inference request answered" };
        }

        var oldEndpoint = EndpointFor(originalUrl, originalModel, protocol);
        var old = await SendAsync(oldEndpoint, body, originalToken, cancellationToken).ConfigureAwait(false);
        if (old.Error is not null)
        {
            return new InferenceCheck { Protocol = protocol, Url = endpoint, StatusCode = fresh.StatusCode, Passed = false, Compared = false, OriginalStatusCode = old.StatusCode, Message = $"the original did not answer, nothing to compare with: {old.Error}" };
        }

        var comparison = OutputComparer.Compare(old.Body, fresh.Body, tolerance);
        return new InferenceCheck
        {
            Protocol = protocol,
            Url = endpoint,
            StatusCode = fresh.StatusCode,
            Passed = comparison.Equal,
            Compared = true,
            OriginalStatusCode = old.StatusCode,
            MaxDifference = comparison.MaxDifference,
            Message = comparison.Message,
        };
    }
}
