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
}
