using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests;

public sealed class HostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Snapshot_with_an_unknown_kind_names_file_and_kind()
    {
        var dir = Directory.CreateTempSubdirectory("odh-sim-host-");
        try
        {
            var file = Path.Combine(dir.FullName, "snap.yaml");
            await File.WriteAllTextAsync(file, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: n}\n", Ct);
            var error = await Assert.ThrowsAsync<ManifestFormatException>(() => SimulatorHost.StartAsync(new SimulatorOptions(), file, Ct));
            Assert.Contains(file, error.Message, StringComparison.Ordinal);
            Assert.Contains("Widget", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_crd_in_the_snapshot_registers_and_serves_its_kind()
    {
        const string snapshot = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {kind: Widget, plural: widgets, shortNames: [wd]}
              versions: [{name: v1, served: true, storage: true}]
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w, namespace: n}
            """;
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions(), TestSnapshot.Parse(snapshot), cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = sim.Host() };
        var list = JsonNode.Parse(await http.GetStringAsync("apis/example.com/v1/namespaces/n/widgets", Ct))!;
        Assert.Equal("w", list["items"]![0]!["metadata"]!["name"]!.GetValue<string>());
        var discovery = JsonNode.Parse(await http.GetStringAsync("apis/example.com/v1", Ct))!;
        Assert.Equal("wd", discovery["resources"]![0]!["shortNames"]![0]!.GetValue<string>());
        Assert.NotNull(sim.Store.TryGet(Kinds.Namespace, null, "n")); // implied namespace exists
    }

    [Fact]
    public async Task Only_loopback_listen_addresses_are_accepted()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SimulatorHost.StartAsync(new SimulatorOptions { Listen = "0.0.0.0:0" }, TestSnapshot.Parse(TestSnapshot.Basic), cancellationToken: Ct));
    }

    [Fact]
    public async Task Command_runner_writes_a_kubeconfig_and_runs_until_cancelled()
    {
        var dir = Directory.CreateTempSubdirectory("odh-sim-runner-");
        try
        {
            var snapshot = Path.Combine(dir.FullName, "snap.yaml");
            await File.WriteAllTextAsync(snapshot, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", Ct);
            var kubeconfig = Path.Combine(dir.FullName, "out", "kubeconfig");
            using var cts = new CancellationTokenSource();
            using var output = new StringWriter();
            var run = SimulatorCommandRunner.RunAsync(snapshot, kubeconfig, "127.0.0.1:0", 0.1, 2, output, cts.Token);
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(kubeconfig)), what: "kubeconfig");
            var text = await File.ReadAllTextAsync(kubeconfig, Ct);
            Assert.Contains("server: http://127.0.0.1:", text, StringComparison.Ordinal);
            Assert.Contains("token: ", text, StringComparison.Ordinal);
            await cts.CancelAsync();
            Assert.Equal(0, await run);
            Assert.Contains("simulator listening on", output.ToString(), StringComparison.Ordinal);

            Assert.Equal(2, await SimulatorCommandRunner.RunAsync(Path.Combine(dir.FullName, "missing.yaml"), kubeconfig, output: output, cancellationToken: Ct));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404_and_generateName_works()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions(), TestSnapshot.Parse(TestSnapshot.Basic), cancellationToken: Ct);
        var cm = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["generateName"] = "gen-" } };
        var error = Assert.Throws<Store.ApiException>(() => sim.Store.Create(Kinds.ConfigMap, "nowhere", cm, new Store.WriteContext()));
        Assert.Equal(404, error.Code);
        var created = sim.Store.Create(Kinds.ConfigMap, "proj", cm, new Store.WriteContext());
        Assert.StartsWith("gen-", created.Name(), StringComparison.Ordinal);
        Assert.Equal(9, created.Name().Length);
    }
}

internal static class HostExtensions
{
    public static Uri Host(this SimulatorHost sim) => sim.BaseAddress;
}
