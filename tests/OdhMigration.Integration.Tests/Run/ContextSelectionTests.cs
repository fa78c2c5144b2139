using OdhMigration.Core.Tests.Support;
using OdhMigration.Integration.Tests.Support;

namespace OdhMigration.Integration.Tests.Run;

/// <summary>--context picks a context of the kubeconfig other than its current one, as kubectl's does.</summary>
public sealed class ContextSelectionTests
{
    [Fact]
    public async Task Context_selects_the_cluster_and_an_unknown_context_is_a_usage_error()
    {
        await using var team = await SimulatedCluster.StartSampleAsync("serverless-team.yaml");
        await using var basic = await SimulatedCluster.StartSampleAsync("serverless-basic.yaml");
        using var ws = new TempWorkspace();
        var kubeconfig = Path.Combine(ws.Path, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: team
              cluster: {"{"}server: {team.Host.BaseAddress.GetLeftPart(UriPartial.Authority)}{"}"}
            - name: basic
              cluster: {"{"}server: {basic.Host.BaseAddress.GetLeftPart(UriPartial.Authority)}{"}"}
            users:
            - name: u
              user: {"{"}token: t{"}"}
            contexts:
            - name: team-context
              context: {"{"}cluster: team, user: u{"}"}
            - name: basic-context
              context: {"{"}cluster: basic, user: u{"}"}
            current-context: basic-context
            """, TestContext.Current.CancellationToken);

        var chosen = await Umbrella.RunAsync(["discover", "--workspace", Path.Combine(ws.Path, "a"), "--kubeconfig", kubeconfig, "--context", "team-context", "-n", "ml-team", "--skip-preflight"]);
        Assert.True(chosen.ExitCode == 0, chosen.ToString());

        var current = await Umbrella.RunAsync(["discover", "--workspace", Path.Combine(ws.Path, "b"), "--kubeconfig", kubeconfig, "-n", "ml-team", "--skip-preflight"]);
        Assert.Equal(2, current.ExitCode);
        Assert.Contains("namespace 'ml-team' does not exist", current.Stderr, StringComparison.Ordinal);

        var unknown = await Umbrella.RunAsync(["discover", "--workspace", Path.Combine(ws.Path, "c"), "--kubeconfig", kubeconfig, "--context", "nope", "-n", "ml-team"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("nope", unknown.Stderr, StringComparison.Ordinal);
    }
}
