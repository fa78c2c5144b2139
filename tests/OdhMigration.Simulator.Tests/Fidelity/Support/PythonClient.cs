using System.Text;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;

namespace OdhMigration.Simulator.Tests.Fidelity.Support;

/// <summary>The official Kubernetes Python client (Debian's python3-kubernetes) as an independent client.</summary>
public static class PythonClient
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<bool> Installed = new(() =>
        File.Exists(Python) && Cli.Wrap(Python).WithArguments(["-c", "import kubernetes"]).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().GetAwaiter().GetResult().ExitCode == 0);

    /// <summary>The response: <c>status</c> (HTTP code), <c>body</c> (parsed JSON), <c>warnings</c> (Warning headers).</summary>
    public static async Task<PythonResponse> SendAsync(string kubeconfig, string method, string path, JsonNode? body = null, string? contentType = null, IReadOnlyDictionary<string, string>? query = null, string? accept = null)
    {
        if (!Installed.Value)
        {
            Assert.Skip("the official Python client is not installed (apt-get install -y python3-kubernetes)");
        }

        var request = new JsonObject { ["method"] = method, ["path"] = path, ["contentType"] = contentType, ["accept"] = accept, ["body"] = body?.DeepClone() };
        if (query is not null)
        {
            var q = new JsonObject();
            foreach (var (key, value) in query)
            {
                q[key] = value;
            }

            request["query"] = q;
        }

        var script = Path.Combine(AppContext.BaseDirectory, "Fidelity", "Support", "python_client.py");
        var result = await Cli.Wrap(Python)
            .WithArguments([script, kubeconfig, request.ToJsonString()])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, $"python client failed: {result.StandardError}");
        var parsed = (JsonObject)JsonNode.Parse(result.StandardOutput)!;
        return new PythonResponse(
            parsed["status"]!.GetValue<int>(),
            parsed["body"],
            parsed["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList());
    }
}

/// <summary>What the Python client saw.</summary>
public sealed record PythonResponse(int Status, JsonNode? Body, IReadOnlyList<string> Warnings)
{
    public string? Reason => Body?["reason"]?.GetValue<string>();

    public string? Message => Body?["message"]?.GetValue<string>();
}
