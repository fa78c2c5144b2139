using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Fidelity.Support;

/// <summary>A simulator serving the real CRD schemas from ../shared/crds, with the basic snapshot.</summary>
public sealed class FidelityFixture : SimulatorFixture
{
    protected override SimulatorOptions Options => base.Options with { Crds = SharedCrdSchemas.Required };

    public Task<KubectlResult> KubectlAsync(string? stdin, params string[] args) =>
        KubectlResult.From(KubectlClient.RunAsync(KubeconfigPath, stdin, args));

    public Task<PythonResponse> PythonAsync(string method, string path, System.Text.Json.Nodes.JsonNode? body = null, string? contentType = null, IReadOnlyDictionary<string, string>? query = null, string? accept = null) =>
        PythonClient.SendAsync(KubeconfigPath, method, path, body, contentType, query, accept);
}

/// <summary>kubectl's exit code and output.</summary>
public sealed record KubectlResult(int ExitCode, string StandardOutput, string StandardError)
{
    public static async Task<KubectlResult> From(Task<CliWrap.Buffered.BufferedCommandResult> run)
    {
        var result = await run;
        return new KubectlResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
