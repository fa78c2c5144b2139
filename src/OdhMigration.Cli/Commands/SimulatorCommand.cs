using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Simulator;
using OdhMigration.Simulator.Faults;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// odh-migrate simulator: serves a snapshot as a Kubernetes API on loopback, so any client (the tools, kubectl, oc)
/// can rehearse against it. Writes a kubeconfig once ready and serves until stopped.
/// </summary>
public static class SimulatorCommand
{
    public const string Description = "Serve a snapshot as an emulated Kubernetes API (KServe-like behaviours) on loopback and write a kubeconfig for it.";

    public static Command Create(CliIo io)
    {
        // The same --snapshot as every stage's (one description, one type); here it is what the simulator serves.
        var snapshot = new ClusterConnectionOptions().Snapshot;
        snapshot.Required = true;
        var kubeconfigOut = new Option<string>("--kubeconfig-out") { Description = "Where to write the kubeconfig that points at the simulator", Required = true };
        var listen = new Option<string>("--listen") { Description = "Loopback address and port (port 0 picks a free one)", DefaultValueFactory = _ => "127.0.0.1:0" };
        var faultRate = new Option<double>("--fault-rate") { Description = "Share of API requests answered with an injected fault (429/500/503/dropped connection)", DefaultValueFactory = _ => 0 }.Between(0, 1);
        var faultKinds = new Option<string[]>("--fault-kinds") { Description = "Which faults to inject (comma-separated, repeatable): 429, 500, 503, drop, processed-then-dropped (the request is carried out, then the answer is lost); default: 429, 500, 503, drop" };
        var faultSeed = new Option<int>("--fault-seed") { Description = "Seed of the fault sequence (the same seed and request order give the same faults)", DefaultValueFactory = _ => 0 };
        var latency = new Option<int>("--latency-ms") { Description = "Latency added to every API request", DefaultValueFactory = _ => 0 }.AtLeast(0);

        var command = new Command("simulator", Description);
        foreach (var option in new Option[] { snapshot, kubeconfigOut, listen, faultRate, faultKinds, faultSeed, latency })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => SimulatorCommandRunner.RunAsync(
            parse.GetValue(snapshot)!,
            parse.GetValue(kubeconfigOut)!,
            parse.GetValue(listen) ?? "127.0.0.1:0",
            new FaultSettings(
                Rate: parse.GetValue(faultRate),
                Kinds: OptionParsing.NameList(parse.GetValue(faultKinds)) is { Count: > 0 } kinds ? kinds : null,
                LatencyMs: parse.GetValue(latency),
                Seed: parse.GetValue(faultSeed)),
            io.Stdout,
            ct));
        return command;
    }
}
