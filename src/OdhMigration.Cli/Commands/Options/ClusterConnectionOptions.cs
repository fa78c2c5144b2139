using System.CommandLine;
using System.CommandLine.Parsing;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>Where the cluster is read from: a kubeconfig (and context) or an offline snapshot, never both.</summary>
public sealed class ClusterConnectionOptions
{
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Path to a kubeconfig (default: the pod's service account in a cluster, else $KUBECONFIG or ~/.kube/config)",
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = "Kubeconfig context to use",
    };

    public Option<string?> Snapshot { get; } = new("--snapshot")
    {
        Description = "Read an offline cluster instead: a multi-document YAML file, a 'kind: List', or a folder of such files (rehearse and simulator serve it from an embedded simulator)",
    };

    public IEnumerable<Option> All => [Kubeconfig, Context, Snapshot];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }

        // A live connection given beside --snapshot would otherwise be ignored without a word.
        command.Validators.Add(result =>
        {
            if (!Given(result, Snapshot))
            {
                return;
            }

            foreach (var live in new Option[] { Kubeconfig, Context })
            {
                if (Given(result, live))
                {
                    result.AddError($"--snapshot cannot be combined with {live.Name}: the snapshot would be read and {live.Name} ignored; give one or the other");
                }
            }
        });
    }

    private static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
