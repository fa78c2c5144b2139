using System.Net;
using System.Net.Sockets;
using System.Text;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Tests.Commands;
using OdhMigration.Core.Common;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Cli.Tests.Discover;

/// <summary>discover and export through the command line: exit codes and messages for bad input.</summary>
public sealed class DiscoverExportCommandTests
{
    private static readonly string Sample = Path.Combine(RepoPaths.Samples, "serverless-basic.yaml");

    [Fact]
    public async Task A_namespace_that_does_not_exist_exits_2_naming_it()
    {
        using var ws = new TempWorkspace();
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--snapshot", Sample, "-n", "no-such-project");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("namespace 'no-such-project' does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Inventory));
    }

    [Fact]
    public async Task Malformed_snapshot_yaml_exits_2_naming_file_and_line()
    {
        using var ws = new TempWorkspace();
        var snapshot = Path.Combine(ws.Path, "broken.yaml");
        await File.WriteAllTextAsync(snapshot, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: p\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: p\n", TestContext.Current.CancellationToken);
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--snapshot", snapshot, "-n", "p");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Matches(@"broken\.yaml: line \d+", result.Stderr);
    }

    [Theory]
    [InlineData("apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: p}\n", "unknown kind 'Gadget'")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: p}\n", "ConfigMap without metadata.name")]
    public async Task Unknown_kinds_and_nameless_objects_exit_2(string document, string expected)
    {
        using var ws = new TempWorkspace();
        var snapshot = Path.Combine(ws.Path, "snap.yaml");
        await File.WriteAllTextAsync(snapshot, "apiVersion: v1\nkind: Namespace\nmetadata: {name: p}\n---\n" + document, TestContext.Current.CancellationToken);
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--snapshot", snapshot, "-n", "p");
        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("snap.yaml: line", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interactive_without_a_terminal_selects_non_interactively()
    {
        using var ws = new TempWorkspace();
        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--snapshot", Sample, "-n", "fraud-detection", "--interactive");
        if (!Console.IsInputRedirected)
        {
            Assert.Skip("stdin is a terminal here; the non-interactive fallback only applies without one");
        }

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("--interactive ignored", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 selected", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forbidden_from_the_api_exits_3_with_the_server_message()
    {
        using var server = new ForbiddenApi();
        using var ws = new TempWorkspace();
        var kubeconfig = Path.Combine(ws.Path, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $$$"""
            apiVersion: v1
            kind: Config
            clusters: [{"name": "c", "cluster": {"server": "{{{server.Url}}}"}}]
            users: [{"name": "u", "user": {"token": "not-a-real-token"}}]
            contexts: [{"name": "ctx", "context": {"cluster": "c", "user": "u"}}]
            current-context: ctx
            """, TestContext.Current.CancellationToken);

        var result = await CliHarness.RunAsync(StageCatalog.Discover.CreateRoot, "--workspace", ws.Path, "--kubeconfig", kubeconfig, "-n", "p");
        Assert.Equal(ExitCodes.PreconditionFailed, result.ExitCode);
        Assert.Contains("403", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("cannot list resource", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-token", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(ws.Layout.Inventory));
    }

    /// <summary>An HTTP endpoint that refuses everything with a Kubernetes 403 Status.</summary>
    private sealed class ForbiddenApi : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public ForbiddenApi()
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var body = Encoding.UTF8.GetBytes("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,"message":"configmaps is forbidden: User \"dev\" cannot list resource \"configmaps\" in API group \"\""}""");
                context.Response.StatusCode = 403;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }
}
