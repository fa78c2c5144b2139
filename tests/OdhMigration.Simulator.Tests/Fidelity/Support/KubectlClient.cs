using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace OdhMigration.Simulator.Tests.Fidelity.Support;

/// <summary>The real kubectl against a simulator kubeconfig; skips (never passes) where kubectl is not installed.</summary>
public static class KubectlClient
{
    private static readonly string? Kubectl = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "kubectl"))
        .FirstOrDefault(File.Exists);

    public static async Task<BufferedCommandResult> RunAsync(string kubeconfig, string? stdin, params string[] args)
    {
        if (Kubectl is null)
        {
            Assert.Skip("kubectl not installed");
        }

        var cacheDir = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "kube-cache");
        var command = Cli.Wrap(Kubectl)
            .WithArguments([.. args, "--kubeconfig", kubeconfig, "--cache-dir", cacheDir, "--request-timeout=30s"])
            .WithValidation(CommandResultValidation.None);
        if (stdin is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        }

        return await command.ExecuteBufferedAsync(Encoding.UTF8, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Runs a long-running kubectl (e.g. <c>get -w</c>): calls <paramref name="whileRunning"/> once it has started, then
    /// stops it as soon as its output satisfies <paramref name="until"/> (or after <paramref name="timeout"/>) and
    /// returns everything it printed.
    /// </summary>
    public static async Task<string> RunUntilAsync(string kubeconfig, Func<Task> whileRunning, Func<string, bool> until, TimeSpan timeout, params string[] args)
    {
        if (Kubectl is null)
        {
            Assert.Skip("kubectl not installed");
        }

        var output = new StringBuilder();
        var cacheDir = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "kube-cache");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = Cli.Wrap(Kubectl)
            .WithArguments([.. args, "--kubeconfig", kubeconfig, "--cache-dir", cacheDir])
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => { lock (output) { output.AppendLine(line); } }))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => { lock (output) { output.AppendLine(line); } }))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(stop.Token);
        await whileRunning();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !run.Task.IsCompleted)
        {
            lock (output)
            {
                if (until(output.ToString()))
                {
                    break;
                }
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // stopped on purpose
        }

        lock (output)
        {
            return output.ToString();
        }
    }
}
