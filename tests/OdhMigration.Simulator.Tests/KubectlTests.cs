using System.Text;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests;

/// <summary>The real kubectl against the simulator: the flows operators and our docs use. Skipped (never passed) without kubectl.</summary>
public sealed class KubectlTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private const string RawIsvc = """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: NAME
          namespace: proj
          annotations:
            serving.kserve.io/deploymentMode: RawDeployment
        spec:
          predictor:
            model:
              modelFormat: {name: openvino_ir}
              storageUri: s3://bucket/model
        """;

    private static readonly string? Kubectl = FindKubectl();

    [Fact]
    public async Task Get_by_short_name_prints_a_table()
    {
        var result = await RunAsync("get", "isvc", "-n", "proj");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("NAME", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sl-model", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("mm-model", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Label_selector_and_jsonpath_output()
    {
        var result = await RunAsync("get", "isvc", "-A", "-l", "team in (b)", "-o", "jsonpath={.items[*].metadata.name}");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("sl-model", result.StandardOutput.Trim());

        var url = await RunAsync("get", "isvc", "sl-model", "-n", "proj", "-o", "jsonpath={.status.url}");
        Assert.Equal("https://sl-model-proj.apps.example.com", url.StandardOutput.Trim());
    }

    [Fact]
    public async Task Chunk_size_pages_with_limit_and_continue()
    {
        await PostAsync("simulator/reset-counters");
        var result = await RunAsync("get", "isvc", "-n", "proj", "--chunk-size=1", "-o", "name");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("inferenceservice.serving.kserve.io/sl-model", result.StandardOutput, StringComparison.Ordinal);
        var lists = (await sim.RequestsAsync())["requests"]!.AsArray()
            .Where(r => r!["verb"]!.GetValue<string>() == "list" && r["resource"]!.GetValue<string>() == "inferenceservices")
            .Select(r => r!["query"]!.GetValue<string>())
            .ToList();
        Assert.Contains(lists, q => q.Contains("limit=1", StringComparison.Ordinal) && !q.Contains("continue=", StringComparison.Ordinal));
        Assert.Contains(lists, q => q.Contains("continue=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_side_apply_twice_is_idempotent_and_create_of_existing_fails()
    {
        var file = await WriteManifestAsync("ssa");
        var first = await RunAsync("apply", "--server-side", "-f", file);
        Assert.True(first.ExitCode == 0, first.StandardError);
        await RunAsync("wait", "--for=condition=Ready", "isvc/ssa", "-n", "proj", "--timeout=20s"); // the controller's status write bumps resourceVersion
        var rv1 = (await RunAsync("get", "isvc", "ssa", "-n", "proj", "-o", "jsonpath={.metadata.resourceVersion}")).StandardOutput;
        var second = await RunAsync("apply", "--server-side", "-f", file);
        Assert.True(second.ExitCode == 0, second.StandardError);
        var rv2 = (await RunAsync("get", "isvc", "ssa", "-n", "proj", "-o", "jsonpath={.metadata.resourceVersion}")).StandardOutput;
        Assert.Equal(rv1, rv2);

        var create = await RunAsync("create", "-f", file);
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains("AlreadyExists", create.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_merge_and_label()
    {
        await RunAsync("apply", "--server-side", "-f", await WriteManifestAsync("patched"));
        var patch = await RunAsync("patch", "isvc", "patched", "-n", "proj", "--type", "merge", "-p", "{\"spec\":{\"predictor\":{\"minReplicas\":3}}}");
        Assert.True(patch.ExitCode == 0, patch.StandardError);
        var label = await RunAsync("label", "isvc", "patched", "-n", "proj", "stage=two");
        Assert.True(label.ExitCode == 0, label.StandardError);
        var stored = sim.Host.Store.Get(Kinds.InferenceService, "proj", "patched");
        Assert.Equal(3L, stored.At("spec", "predictor", "minReplicas")!.GetValue<long>()); // the store materialises numbers as long/double
        Assert.Equal("two", stored.Label("stage"));
    }

    [Fact]
    public async Task Annotating_the_deployment_mode_is_refused_by_the_webhook()
    {
        await RunAsync("apply", "--server-side", "-f", await WriteManifestAsync("fixed-mode"));
        var result = await RunAsync("annotate", "isvc", "fixed-mode", "-n", "proj", "serving.kserve.io/deploymentMode=Serverless", "--overwrite");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("deploymentMode cannot be changed", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_for_Ready_then_delete_with_wait()
    {
        await RunAsync("apply", "--server-side", "-f", await WriteManifestAsync("waited"));
        var wait = await RunAsync("wait", "--for=condition=Ready", "isvc/waited", "-n", "proj", "--timeout=20s");
        Assert.True(wait.ExitCode == 0, wait.StandardError);
        Assert.Contains("condition met", wait.StandardOutput, StringComparison.Ordinal);

        var delete = await RunAsync("delete", "isvc", "waited", "-n", "proj", "--wait", "--timeout=20s");
        Assert.True(delete.ExitCode == 0, delete.StandardError);
        Assert.Null(sim.Host.Store.TryGet(Kinds.InferenceService, "proj", "waited"));
    }

    [Fact]
    public async Task Auth_can_i_follows_the_access_rules()
    {
        var yes = await RunAsync("auth", "can-i", "create", "isvc", "-n", "proj");
        Assert.Equal("yes", yes.StandardOutput.Trim());

        var previous = sim.Host.Access.Rules;
        sim.Host.Access.Rules = new AccessRules([new AccessRule(Verb: "delete", Resource: "inferenceservices", Allowed: false)], Default: true);
        try
        {
            var no = await RunAsync("auth", "can-i", "delete", "isvc", "-n", "proj");
            Assert.Equal("no", no.StandardOutput.Trim());
        }
        finally
        {
            sim.Host.Access.Rules = previous;
        }
    }

    private async Task<BufferedCommandResult> RunAsync(params string[] args)
    {
        if (Kubectl is null)
        {
            Assert.Skip("kubectl not installed");
        }

        var cacheDir = Path.Combine(Path.GetDirectoryName(sim.KubeconfigPath)!, "kube-cache");
        return await Cli.Wrap(Kubectl)
            .WithArguments([.. args, "--kubeconfig", sim.KubeconfigPath, "--cache-dir", cacheDir, "--request-timeout=30s"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, TestContext.Current.CancellationToken);
    }

    private async Task<string> WriteManifestAsync(string name)
    {
        var path = Path.Combine(Path.GetDirectoryName(sim.KubeconfigPath)!, name + ".yaml");
        await File.WriteAllTextAsync(path, RawIsvc.Replace("NAME", name, StringComparison.Ordinal), TestContext.Current.CancellationToken);
        return path;
    }

    private async Task PostAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = sim.Host.BaseAddress };
        using var response = await http.PostAsync(path, new StringContent("{}"), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string? FindKubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
}
