using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Stages.Chain;
using OdhMigration.Core.Stages.Cleanup;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Stages.Export;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Stages.Validate;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Integration.Tests.Support;

/// <summary>The real stage engines, in order, against a simulated cluster, into a temporary workspace.</summary>
public sealed class Pipeline(SimulatedCluster sim) : IDisposable
{
    public WorkspaceLayout Layout { get; } = new(Directory.CreateTempSubdirectory("odh-chain-").FullName);
    public MemoryStageLog Log { get; } = new();

    /// <summary>The retry policy every stage uses when set (fault tests: fast back-off); otherwise each stage's default.</summary>
    public RetryPolicy? Retry { get; init; }

    public static ApplyOptions FastApply => new() { PollInterval = TimeSpan.FromMilliseconds(50), DeleteTimeout = TimeSpan.FromSeconds(20), Retry = new RetryPolicy(8, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(500)) };

    /// <summary>discover -> export -> transform through the same PlanningChain the dry-run commands use; returns transform's outcome.</summary>
    public async Task<StageOutcome> PrepareAsync(string ns, string mode, string? strategy, string? targetNamespace = null, TransformOptions? transform = null, CancellationToken ct = default)
    {
        var chain = await new PlanningChain(sim.Cluster, Log, NullProgressSink.Instance).RunAsync(
            new PlanningChainOptions(
                new DiscoverOptions { Namespaces = [ns], Mode = mode, Retry = Retry ?? RetryPolicy.Default },
                new ExportOptions { Retry = Retry ?? RetryPolicy.Default },
                transform ?? new TransformOptions { Strategy = strategy, TargetNamespace = targetNamespace }),
            Layout,
            ct);
        Assert.Equal(ExitCodes.Success, Outcome(chain, "discover").ExitCode);
        Assert.Equal(ExitCodes.Success, Outcome(chain, "export").ExitCode);
        return Outcome(chain, "transform");
    }

    // A stage the chain stopped before has no outcome: that fails here, naming the stage and the log.
    private StageOutcome Outcome(PlanningChainResult chain, string stage) =>
        chain.Stages.Where(s => s.Stage == stage).Select(s => s.Outcome).FirstOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"the planning chain stopped before {stage}:\n{Logs}");

    public Task<StageOutcome> ApplyAsync(ApplyOptions? options = null, CancellationToken ct = default) =>
        new ApplyEngine(sim.Cluster, Log).RunAsync(options ?? FastApply, Layout, ct);

    public Task<StageOutcome> ValidateAsync(CancellationToken ct = default) =>
        new ValidateEngine(sim.Cluster, Log).RunAsync(new ValidateOptions { Timeout = TimeSpan.FromSeconds(20), PollInterval = TimeSpan.FromMilliseconds(100), Retry = Retry ?? RetryPolicy.Default }, Layout, ct);

    public Task<StageOutcome> CleanupAsync(string? expectValidation = null, CancellationToken ct = default) =>
        new CleanupEngine(sim.Cluster, Log).RunAsync(new CleanupOptions { ExpectValidationSha256 = expectValidation, PollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(20), Retry = Retry ?? RetryPolicy.Default }, Layout, ct);

    public async Task<Plan> PlanAsync() => (await WorkspaceDocuments.ReadPlanAsync(Layout)).Document;

    public string Logs => string.Join("\n", Log.Lines.Select(l => $"{l.Level}: {l.Message}"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Layout.Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
