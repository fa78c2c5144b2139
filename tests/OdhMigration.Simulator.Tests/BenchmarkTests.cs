using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests;

/// <summary>
/// The simulator benchmark from docs/performance.md: load a 10,000-ISVC snapshot file and list it over HTTP in
/// pages of 500, under 5 s and 1 GB. Opt-in (ODH_SIM_BENCH=1) because it takes seconds; otherwise reported skipped.
/// Run: ODH_SIM_BENCH=1 dotnet test tests/OdhMigration.Simulator.Tests --filter "Category=Benchmark"
/// </summary>
public sealed class BenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task Load_10000_isvcs_and_list_them_in_pages_of_500()
    {
        if (Environment.GetEnvironmentVariable("ODH_SIM_BENCH") != "1")
        {
            Assert.Skip("benchmark: set ODH_SIM_BENCH=1 to run");
        }

        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("odh-sim-bench-");
        try
        {
            // The snapshot is a JSON List, the shape `oc get inferenceservices -A -o json` exports. (The same objects as
            // multi-document YAML load several times slower: YamlDotNet's parser dominates; see docs/performance.md.)
            var file = Path.Combine(dir.FullName, "snapshot.json");
            var objects = Core.Cluster.SnapshotLoader.FromDocuments(Core.Manifests.Yaml.ParseDocuments(Snapshot(10_000), "generated"));
            var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. objects.Select(o => (JsonNode)o.Object.DeepClone())]) };
            await File.WriteAllTextAsync(file, list.ToJsonString(), ct);
            var fileSize = new FileInfo(file).Length;

            var total = Stopwatch.StartNew();
            // With the real CRD schemas: every controller status write is pruned, defaulted and validated (compiled once per kind).
            await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Crds = Support.SharedCrdSchemas.OrNull }, file, ct);
            var loaded = total.Elapsed;

            using var http = new HttpClient { BaseAddress = sim.BaseAddress };
            var names = new HashSet<string>(StringComparer.Ordinal);
            string? next = null;
            var pages = 0;
            var listTimer = Stopwatch.StartNew();
            do
            {
                var url = "apis/serving.kserve.io/v1beta1/inferenceservices?limit=500" + (next is null ? string.Empty : "&continue=" + Uri.EscapeDataString(next));
                var page = JsonNode.Parse(await http.GetStringAsync(url, ct))!;
                foreach (var item in page["items"]!.AsArray())
                {
                    names.Add(item!["metadata"]!["namespace"]!.GetValue<string>() + "/" + item["metadata"]!["name"]!.GetValue<string>());
                }

                next = page["metadata"]?["continue"]?.GetValue<string>();
                pages++;
            }
            while (!string.IsNullOrEmpty(next));

            var listed = listTimer.Elapsed;
            total.Stop();
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var managed = GC.GetTotalMemory(forceFullCollection: false);
            output.WriteLine($"snapshot {fileSize / 1024 / 1024.0:F1} MiB; load+start {loaded.TotalMilliseconds:F0} ms; list {pages} pages {listed.TotalMilliseconds:F0} ms; total {total.Elapsed.TotalMilliseconds:F0} ms; peak working set {peak / 1024 / 1024} MiB; managed heap {managed / 1024 / 1024} MiB");

            Assert.Equal(10_000, names.Count);
            Assert.Equal(20, pages);
            Assert.True(total.Elapsed < TimeSpan.FromSeconds(5), $"took {total.Elapsed}");
            Assert.True(peak < 1024L * 1024 * 1024, $"peak working set {peak}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Snapshot(int count)
    {
        var text = new StringBuilder();
        for (var ns = 0; ns < 20; ns++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: project-{ns:D2}\n---\n");
        }

        for (var i = 0; i < count; i++)
        {
            var mode = (i % 3) switch { 0 => "Serverless", 1 => "ModelMesh", _ => "RawDeployment" };
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"""
                apiVersion: serving.kserve.io/v1beta1
                kind: InferenceService
                metadata:
                  name: model-{i:D5}
                  namespace: project-{i % 20:D2}
                  labels:
                    opendatahub.io/dashboard: "true"
                    team: team-{i % 7}
                  annotations:
                    openshift.io/display-name: Model {i}
                    serving.kserve.io/deploymentMode: {mode}
                    security.opendatahub.io/enable-auth: "true"
                spec:
                  predictor:
                    minReplicas: 1
                    maxReplicas: 2
                    model:
                      modelFormat:
                        name: onnx
                        version: "1"
                      runtime: runtime-{i % 20:D2}
                      storage:
                        key: aws-connection-models
                        path: models/{i}
                      resources:
                        limits:
                          cpu: "2"
                          memory: 8Gi
                        requests:
                          cpu: "1"
                          memory: 4Gi
                status:
                  deploymentMode: {mode}
                  url: https://model-{i:D5}-project-{i % 20:D2}.apps.example.com
                  conditions:
                  - type: PredictorReady
                    status: "True"
                    lastTransitionTime: "2025-01-01T00:00:00Z"
                  - type: Ready
                    status: "True"
                    lastTransitionTime: "2025-01-01T00:00:00Z"
                ---

                """);
        }

        return text.ToString();
    }
}
