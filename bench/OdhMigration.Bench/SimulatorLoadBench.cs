using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Bench;

/// <summary>
/// The simulator's target (issue 3): load a 10,000-ISVC snapshot file and list it over HTTP in pages of 500, every
/// item exactly once, in under 5 s and 1 GB.
/// </summary>
internal static class SimulatorLoadBench
{
    private const int Count = 10_000;

    public static async Task<int> RunAsync()
    {
        var dir = Directory.CreateTempSubdirectory("odh-sim-bench-");
        try
        {
            // The snapshot is a JSON List, the shape `oc get inferenceservices -A -o json` exports. (The same objects as
            // multi-document YAML load several times slower: YamlDotNet's parser dominates; see docs/performance.md.)
            var file = Path.Combine(dir.FullName, "snapshot.json");
            var objects = SnapshotLoader.FromDocuments(Yaml.ParseDocuments(Snapshot(Count), "generated"));
            var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. objects.Select(o => (JsonNode)o.Object.DeepClone())]) };
            await File.WriteAllTextAsync(file, list.ToJsonString());
            var fileSize = new FileInfo(file).Length;

            // Process CPU time next to wall time: on a shared machine the wall time says more about the other
            // processes than about this one, the CPU time much less (see docs/performance.md).
            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var total = Stopwatch.StartNew();
            // With the real CRD schemas: every controller status write is pruned, defaulted and validated (compiled once per kind).
            await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Crds = SharedCrdSchemas.OrNull }, file);
            var loaded = total.Elapsed;
            process.Refresh();
            var loadCpu = process.TotalProcessorTime - cpuBefore;

            using var http = new HttpClient { BaseAddress = sim.BaseAddress };
            var names = new HashSet<string>(StringComparer.Ordinal);
            string? next = null;
            var pages = 0;
            var listTimer = Stopwatch.StartNew();
            do
            {
                var url = new Uri("apis/serving.kserve.io/v1beta1/inferenceservices?limit=500" + (next is null ? string.Empty : "&continue=" + Uri.EscapeDataString(next)), UriKind.Relative);
                var page = JsonNode.Parse(await http.GetStringAsync(url))!;
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
            process.Refresh();
            var totalCpu = process.TotalProcessorTime - cpuBefore;
            var peak = process.PeakWorkingSet64;
            var managed = GC.GetTotalMemory(forceFullCollection: false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot {fileSize / 1024 / 1024.0:F1} MiB{(SharedCrdSchemas.OrNull is null ? " (no CRD schemas: upstream files not found)" : "")}; load+start {loaded.TotalMilliseconds:F0} ms (cpu {loadCpu.TotalMilliseconds:F0} ms); list {pages} pages {listed.TotalMilliseconds:F0} ms; total {total.Elapsed.TotalMilliseconds:F0} ms (cpu {totalCpu.TotalMilliseconds:F0} ms); load average {LoadAverage()}; peak working set {peak / 1024 / 1024} MiB; managed heap {managed / 1024 / 1024} MiB"));

            return Target.Check(names.Count == Count, $"listed {names.Count} distinct ISVCs, expected {Count}")
                & Target.Check(pages == 20, $"listed {pages} pages, expected 20")
                & Target.Check(total.Elapsed < TimeSpan.FromSeconds(5), $"took {total.Elapsed}, target 5 s")
                & Target.Check(peak < 1024L * 1024 * 1024, $"peak working set {peak} bytes, target 1 GiB")
                ? 0
                : 1;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Snapshot(int count)
    {
        var text = new StringBuilder();
        for (var ns = 0; ns < 20; ns++)
        {
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: project-{ns:D2}\n---\n");
        }

        for (var i = 0; i < count; i++)
        {
            var mode = (i % 3) switch { 0 => "Serverless", 1 => "ModelMesh", _ => "RawDeployment" };
            text.Append(CultureInfo.InvariantCulture, $"""
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
