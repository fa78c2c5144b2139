using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.TestDoubles.PlanWorkspace;

namespace OdhMigration.Core.Tests.Validate;

public sealed class ValidateEngineTests : IDisposable
{
    private readonly PlanWorkspace _ws = new();
    private readonly InMemoryCluster _cluster = new();
    private readonly MemoryStageLog _log = new();

    private static ValidateOptions Fast => FastOptions.Validate;

    public void Dispose() => _ws.Dispose();

    private async Task ApplyAsync()
    {
        await _ws.WriteAsync();
        await new ApplyEngine(_cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Retry = RetryPolicy.Immediate(), PollInterval = TimeSpan.FromMilliseconds(5) }, _ws.Layout);
    }

    private Task<StageOutcome> Validate(ValidateOptions? options = null, HttpClient? http = null) =>
        new ValidateEngine(_cluster, _log, http).RunAsync(options ?? Fast, _ws.Layout);

    private async Task<Validation> Report() =>
        (await WorkspaceDocuments.ReadAsync(_ws.Layout, _ws.Layout.Validation, Validation.DocumentKind, 1, ValidationJsonContext.Default.Validation)).Document;

    [Fact]
    public async Task A_ready_replacement_passes_and_all_three_reports_are_written()
    {
        FakeKServe.Install(_cluster);
        _cluster.Seed(Isvc("ns1", "m1"));
        _ws.Add("ns1", "m1", "side-by-side", [Runtime("ns1", "rt-raw"), Isvc("ns1", "m1-raw", "RawDeployment", "rt-raw")]);
        await ApplyAsync();

        var outcome = await Validate();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(Hashing.Sha256Hex(await File.ReadAllBytesAsync(_ws.Layout.Validation)), outcome.Results["validation-sha256"]);
        Assert.Equal("1", outcome.Results["passed"]);
        var report = await Report();
        var item = Assert.Single(report.Items);
        Assert.True(item.Passed);
        Assert.Equal(_cluster.Peek("InferenceService", "ns1", "m1-raw")!.Uid(), item.TargetUid);
        Assert.Equal("https://m1-raw-ns1.apps.example.com", item.Endpoint!.NewUrl);
        Assert.Equal("https://m1-ns1.apps.example.com", item.Endpoint.OldUrl);
        Assert.Contains(report.Consumed, c => c.Path == "ledger.json" && c.Sha256 == Hashing.Sha256Hex(File.ReadAllBytes(_ws.Layout.Ledger)));
        var junit = XDocument.Parse(await File.ReadAllTextAsync(_ws.Layout.ValidationJUnit));
        Assert.Equal("0", junit.Descendants("testsuite").Single().Attribute("failures")!.Value);
        Assert.Contains("https://m1-raw-ns1.apps.example.com", await File.ReadAllTextAsync(_ws.Layout.ValidationSummary));
    }

    [Fact]
    public async Task A_replacement_that_becomes_ready_while_waiting_passes()
    {
        FakeKServe.Install(_cluster, skip: _ => true);
        _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")]);
        await ApplyAsync();
        var reads = 0;
        _cluster.Fault = (verb, kind, _, _) =>
        {
            if (verb == "get" && kind == "InferenceService" && ++reads == 3)
            {
                FakeKServe.Install(_cluster);
                _ = _cluster.PatchAsync(Kinds.InferenceService, "ns1", "m1-raw", PatchKind.Merge, "{}", new WriteOptions());
            }

            return null;
        };

        var outcome = await Validate();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
    }

    [Fact]
    public async Task A_missing_runtime_is_reported_with_its_reason_and_remedy()
    {
        FakeKServe.Install(_cluster, skip: _ => true);
        _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment", "rt-raw")]);
        await ApplyAsync();
        FakeKServe.MakeNotReady(_cluster.Peek("InferenceService", "ns1", "m1-raw")!, "x", "y");

        var outcome = await Validate(Fast with { Timeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        var item = Assert.Single((await Report()).Items);
        Assert.Equal(ValidationReasons.RuntimeMissing, item.Reason);
        Assert.Contains("rt-raw", item.Message);
        Assert.NotEmpty(item.Remedies);
        var failure = XDocument.Parse(await File.ReadAllTextAsync(_ws.Layout.ValidationJUnit)).Descendants("failure").Single();
        Assert.Equal(ValidationReasons.RuntimeMissing, failure.Attribute("type")!.Value);
    }

    [Fact]
    public async Task Pods_pending_for_lack_of_resources_point_at_the_guides_remedies()
    {
        var isvcObj = Isvc("ns1", "m1-raw", "RawDeployment", "rt");
        _cluster.Seed(Runtime("ns1", "rt"));
        _ws.Add("ns1", "m1", "side-by-side", [isvcObj]);
        await ApplyAsync();
        var live = _cluster.Peek("InferenceService", "ns1", "m1-raw")!;
        FakeKServe.MakeNotReady(live, "PredictorNotReady", "predictor not ready");
        _cluster.Seed(live);
        var pod = Manifest.NewObject(Kinds.Pod, "m1-raw-predictor-abc", "ns1");
        pod.SetLabel("serving.kserve.io/inferenceservice", "m1-raw");
        pod["status"] = new JsonObject
        {
            ["phase"] = "Pending",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable", ["message"] = "0/3 nodes are available: 3 Insufficient cpu." }),
        };
        _cluster.Seed(pod);

        await Validate(Fast with { Timeout = TimeSpan.FromMilliseconds(200) });

        var item = Assert.Single((await Report()).Items);
        Assert.Equal(ValidationReasons.InsufficientResources, item.Reason);
        Assert.Contains("Insufficient cpu", item.Message);
        Assert.Contains(item.Remedies, r => r.Contains("§5.1.2", StringComparison.Ordinal) && r.Contains("serving.kserve.io/stop", StringComparison.Ordinal));
        Assert.Contains("What to do", await File.ReadAllTextAsync(_ws.Layout.ValidationSummary));
    }

    [Fact]
    public async Task An_item_apply_did_not_finish_fails_validation()
    {
        FakeKServe.Install(_cluster);
        _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")]);
        _ws.Add("ns1", "m2", "side-by-side", [Isvc("ns1", "m2-raw", "RawDeployment")]);
        _cluster.Fault = (verb, _, _, name) => verb == "create" && name == "m2-raw" ? new ClusterException(422, "Invalid", "bad") : null;
        await ApplyAsync();
        _cluster.Fault = null;

        var outcome = await Validate();

        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        Assert.Equal("1", outcome.Results["passed"]);
        Assert.Equal(ValidationReasons.NotApplied, (await Report()).Items.Single(i => i.Name == "m2").Reason);
    }

    [Fact]
    public async Task Without_a_ledger_validate_refuses_with_a_usage_error()
    {
        _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")]);
        await _ws.WriteAsync();
        var ex = await Assert.ThrowsAsync<UsageException>(() => Validate());
        Assert.Contains("run apply first", ex.Message);
    }

    [Fact]
    public async Task Inference_smoke_test_sends_the_token_and_compares_with_the_original_without_ever_writing_the_token()
    {
        const string token = "s3cr3t-token-value";
        using var server = new TinyModelServer(path => path.Contains("m1-raw", StringComparison.Ordinal) ? [1.0, 2.0000001] : [1.0, 2.0]);
        FakeKServe.Install(_cluster, urlFor: o => server.Url + o.Name());
        var original = Isvc("ns1", "m1");
        original["status"] = new JsonObject { ["url"] = server.Url + "m1" };
        var secret = TokenSecret("ns1", "m1-raw-sa-token", "m1-raw-sa");
        secret["data"] = new JsonObject { ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(token)) };
        _cluster.Seed(original, secret);
        var item = _ws.Add("ns1", "m1", "side-by-side", [Isvc("ns1", "m1-raw", "RawDeployment")]);
        await _ws.WriteAsync();
        var plan = (await WorkspaceDocuments.ReadPlanAsync(_ws.Layout)).Document;
        plan.Items[0] = plan.Items[0] with { Endpoint = item.Endpoint! with { TokenSecret = "m1-raw-sa-token" } };
        await WorkspaceDocuments.WriteAsync(_ws.Layout.Plan, plan, PlanJsonContext.Default.Plan);
        await new ApplyEngine(_cluster, new MemoryStageLog()).RunAsync(new ApplyOptions { Retry = RetryPolicy.Immediate() }, _ws.Layout);
        var request = Path.Combine(_ws.Layout.Root, "request.json");
        await File.WriteAllTextAsync(request, """{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1,2]}]}""");

        var outcome = await Validate(Fast with { RequestFile = request, CompareOriginal = true, Tolerance = 1e-3 });

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains("Bearer " + token, server.AuthorizationHeaders);
        Assert.Contains(server.Paths, p => p == "/m1-raw/v2/models/m1-raw/infer");
        Assert.Contains(server.Paths, p => p == "/m1/v2/models/m1/infer");
        var inference = Assert.Single((await Report()).Items).Inference!;
        Assert.True(inference.Compared);
        Assert.Equal("v2", inference.Protocol);
        foreach (var file in Directory.EnumerateFiles(_ws.Layout.Root, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(token, await File.ReadAllTextAsync(file));
        }

        Assert.DoesNotContain(_log.Lines, l => l.Message.Contains(token, StringComparison.Ordinal));

        // Outside the tolerance the comparison fails, with the difference reported.
        var strict = await Validate(Fast with { RequestFile = request, CompareOriginal = true, Tolerance = 1e-9 });
        Assert.Equal(ExitCodes.PartialFailure, strict.ExitCode);
        Assert.Equal(ValidationReasons.OutputMismatch, Assert.Single((await Report()).Items).Reason);
    }

    /// <summary>A v2 model endpoint on 127.0.0.1 answering with fixed outputs per path.</summary>
    private sealed class TinyModelServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Func<string, double[]> _outputs;

        public TinyModelServer(Func<string, double[]> outputs)
        {
            _outputs = outputs;
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }
        public List<string> AuthorizationHeaders { get; } = [];
        public List<string> Paths { get; } = [];

        public void Dispose() => _listener.Close();

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception)
                {
                    return;
                }

                lock (Paths)
                {
                    Paths.Add(context.Request.Url!.AbsolutePath);
                    AuthorizationHeaders.Add(context.Request.Headers["Authorization"] ?? "");
                }

                var data = new JsonArray(_outputs(context.Request.Url!.AbsolutePath).Select(d => (JsonNode)JsonValue.Create(d)).ToArray());
                var body = Encoding.UTF8.GetBytes(new JsonObject { ["outputs"] = new JsonArray(new JsonObject { ["name"] = "y", ["shape"] = new JsonArray(1, 2), ["datatype"] = "FP32", ["data"] = data }) }.ToJsonString());
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
