using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OdhMigration.Core.Cluster;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests;

/// <summary>
/// A JSON snapshot file is read straight into the store's form and stored without a copy; objects handed over in
/// memory are copied (materialised) as before. Both ways must serve the same objects, the same managedFields and
/// the same apply conflicts. Snapshot objects are untracked until their first apply, as on a real server
/// (k8s.io/apimachinery pkg/util/managedfields/internal/skipnonapplied.go: updates of an object without
/// managedFields are not tracked; the first apply records its fields as owned by "before-first-apply").
/// </summary>
public sealed partial class SnapshotLoadTests
{
    private const string Isvcs = "apis/serving.kserve.io/v1beta1/namespaces/proj/inferenceservices";

    private const string TrackedManagedFields = """
        [{"manager":"alpha","operation":"Apply","apiVersion":"serving.kserve.io/v1beta1","time":"2025-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:team":{}}}}},{"manager":"kubectl-edit","operation":"Update","apiVersion":"serving.kserve.io/v1beta1","time":"2025-01-02T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:predictor":{"f:minReplicas":{}}}}}]
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Typed list items without kind inside a list; managedFields carried by one object only; numbers as integers, reals, exponents and beyond long, and escapes.</summary>
    private static string Snapshot() => """
        {"apiVersion":"v1","kind":"List","items":[
          {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"proj","uid":"u-ns","creationTimestamp":"2025-01-01T00:00:00Z"}},
          {"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceServiceList","items":[
            {"metadata":{"name":"tracked","namespace":"proj","uid":"u-1","creationTimestamp":"2025-01-01T00:00:00Z","labels":{"team":"a"},
              "annotations":{"serving.kserve.io/deploymentMode":"Serverless"},"managedFields":MANAGED},
             "spec":{"predictor":{"minReplicas":1,"maxReplicas":3,"model":{"modelFormat":{"name":"onnx"},"storageUri":"s3://b/m"}}},
             "status":{"url":"https://tracked.example.com"}},
            {"metadata":{"name":"untracked","namespace":"proj","uid":"u-2","creationTimestamp":"2025-01-01T00:00:00Z","labels":{"team":"b"},
              "annotations":{"serving.kserve.io/deploymentMode":"Serverless"}},
             "spec":{"predictor":{"minReplicas":1,"model":{"modelFormat":{"name":"onnx"},"storageUri":"s3://b/m"}}}}]},
          {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"proj","uid":"u-3","creationTimestamp":"2025-01-01T00:00:00Z"},
           "data":{"k":"\u00e9t\u00e9 \"q\""},"extra":[1,2.0,1e2,-0,12345678901234567890,2.5,true,false,null,{}]}
        ]}
        """.Replace("MANAGED", TrackedManagedFields.Trim(), StringComparison.Ordinal);

    [Fact]
    public async Task A_JSON_snapshot_read_straight_into_the_store_serves_exactly_what_the_copying_load_serves()
    {
        var (file, dir) = await WriteAsync(Snapshot());
        try
        {
            await using var direct = await SimulatorHost.StartAsync(Options(), file, Ct);
            await using var copied = await SimulatorHost.StartAsync(Options(), SnapshotLoader.Load(file), cancellationToken: Ct);
            using var directHttp = new HttpClient { BaseAddress = direct.BaseAddress };
            using var copiedHttp = new HttpClient { BaseAddress = copied.BaseAddress };
            foreach (var path in new[] { Isvcs + "/tracked", Isvcs + "/untracked", "api/v1/namespaces/proj/configmaps/cm", "api/v1/namespaces/proj", Isvcs })
            {
                Assert.Equal(await copiedHttp.GetStringAsync(path, Ct), await directHttp.GetStringAsync(path, Ct));
            }

            // managedFields are served as the snapshot carried them, and an object without them stays untracked.
            var tracked = JsonNode.Parse(await directHttp.GetStringAsync(Isvcs + "/tracked", Ct))!;
            Assert.Equal(TrackedManagedFields.Trim(), tracked["metadata"]!["managedFields"]!.ToJsonString());
            var cm = JsonNode.Parse(await directHttp.GetStringAsync("api/v1/namespaces/proj/configmaps/cm", Ct))!;
            Assert.Equal("\u00e9t\u00e9 \"q\"", cm["data"]!["k"]!.GetValue<string>());
            var extra = cm["extra"]!.AsArray();
            Assert.Equal([1d, 2d, 100d, 0d, 12345678901234567890d, 2.5], extra.Take(6).Select(n => n!.GetValue<double>()));
            Assert.Equal("[true,false,null,{}]", new JsonArray([.. extra.Skip(6).Select(n => n?.DeepClone())]).ToJsonString());
            var untracked = JsonNode.Parse(await directHttp.GetStringAsync(Isvcs + "/untracked", Ct))!;
            Assert.Null(untracked["metadata"]!["managedFields"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Applies_to_snapshot_objects_conflict_and_record_ownership_as_with_the_copying_load()
    {
        var (file, dir) = await WriteAsync(Snapshot());
        try
        {
            await using var direct = await SimulatorHost.StartAsync(Options(), file, Ct);
            await using var copied = await SimulatorHost.StartAsync(Options(), SnapshotLoader.Load(file), cancellationToken: Ct);
            var results = new List<string>[2];
            foreach (var (sim, i) in new[] { (direct, 0), (copied, 1) })
            {
                using var http = new HttpClient { BaseAddress = sim.BaseAddress };
                results[i] =
                [
                    // Untracked: the first apply finds every existing field owned by "before-first-apply".
                    await ApplyAsync(http, "untracked", """{"metadata":{"labels":{"team":"c"}}}""", force: false),
                    // Tracked: the snapshot's own owners conflict.
                    await ApplyAsync(http, "tracked", """{"metadata":{"labels":{"team":"c"}},"spec":{"predictor":{"minReplicas":2}}}""", force: false),
                    await ApplyAsync(http, "tracked", """{"metadata":{"labels":{"team":"c"}},"spec":{"predictor":{"minReplicas":2}}}""", force: true),
                    await ApplyAsync(http, "untracked", """{"metadata":{"labels":{"team":"c"}}}""", force: true),
                ];
            }

            Assert.Equal(results[1], results[0]);
            Assert.Matches("^409 Apply failed with 1 conflict: conflict with \"before-first-apply\" using serving.kserve.io/v1beta1 at TIME: \\.metadata\\.labels\\.team$", results[0][0]);
            Assert.Equal("409 Apply failed with 2 conflicts: conflicts with \"alpha\":\n- .metadata.labels.team\nconflicts with \"kubectl-edit\" using serving.kserve.io/v1beta1 at 2025-01-02T00:00:00Z:\n- .spec.predictor.minReplicas", results[0][1]);
            // Forced: gamma takes both fields; alpha and kubectl-edit own nothing more, so their entries go.
            Assert.Equal("""200 [{"manager":"gamma","operation":"Apply","apiVersion":"serving.kserve.io/v1beta1","time":"TIME","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:team":{}}},"f:spec":{"f:predictor":{"f:minReplicas":{}}}}}]""", results[0][2]);
            Assert.Contains("\"manager\":\"before-first-apply\"", results[0][3], StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A file the direct reader does not take (here a duplicate key) goes the general way: the same outcome either way.</summary>
    [Fact]
    public async Task A_JSON_file_the_direct_reader_leaves_alone_loads_as_the_general_reader_loads_it()
    {
        var (file, dir) = await WriteAsync("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"proj"},"data":{"k":"1"},"data":{"k":"2"}}""");
        try
        {
            var direct = await OutcomeAsync(() => SimulatorHost.StartAsync(Options(), file, Ct));
            var general = await OutcomeAsync(async () => await SimulatorHost.StartAsync(Options(), SnapshotLoader.Load(file), cancellationToken: Ct));
            Assert.Equal(general, direct);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static SimulatorOptions Options() => new() { Crds = SharedCrdSchemas.OrNull, KServe = new KServeControllerOptions { Enabled = false } };

    private static async Task<(string File, DirectoryInfo Dir)> WriteAsync(string json)
    {
        var dir = Directory.CreateTempSubdirectory("odh-sim-load-");
        var file = Path.Combine(dir.FullName, "snapshot.json");
        await File.WriteAllTextAsync(file, json, Ct);
        return (file, dir);
    }

    private static async Task<string> OutcomeAsync(Func<Task<SimulatorHost>> start)
    {
        try
        {
            await using var sim = await start();
            using var http = new HttpClient { BaseAddress = sim.BaseAddress };
            return await http.GetStringAsync("api/v1/namespaces/proj/configmaps/cm", Ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    /// <summary>Status code and message (or the object's managedFields), with apply times replaced: they are the clock's.</summary>
    private static async Task<string> ApplyAsync(HttpClient http, string name, string body, bool force)
    {
        var config = (JsonObject)JsonNode.Parse(body)!;
        config["apiVersion"] = "serving.kserve.io/v1beta1";
        config["kind"] = "InferenceService";
        var metadata = config["metadata"] as JsonObject ?? [];
        metadata["name"] = name;
        metadata["namespace"] = "proj";
        config["metadata"] = metadata;
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{Isvcs}/{name}?fieldManager=gamma{(force ? "&force=true" : "")}")
        {
            Content = new StringContent(config.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        using var response = await http.SendAsync(request, Ct);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        var text = (int)response.StatusCode + " " + (answer["message"]?.GetValue<string>() ?? answer["metadata"]!["managedFields"]!.ToJsonString());
        return Times().Replace(text, m => m.Value.StartsWith("2025", StringComparison.Ordinal) ? m.Value : "TIME");
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")]
    private static partial Regex Times();
}
