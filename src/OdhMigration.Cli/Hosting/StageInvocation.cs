using System.CommandLine;
using OdhMigration.Cli.Commands;
using OdhMigration.Cluster;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace;
using CoreLogLevel = OdhMigration.Core.Common.LogLevel;

namespace OdhMigration.Cli.Hosting;

/// <summary>The parsed common options of one stage run, with the services built from them.</summary>
public sealed class StageInvocation
{
    private readonly ParseResult _parse;
    private readonly CommonOptions _common;

    /// <param name="logLevelOverride">A command's own switch for the level (e.g. a drop-in's --debug); wins over --log-level.</param>
    public StageInvocation(string stage, ParseResult parse, CommonOptions common, TextWriter stdout, TextWriter stderr, string? logLevelOverride = null)
    {
        Stage = stage;
        _parse = parse;
        _common = common;
        Stdout = stdout;
        Stderr = stderr;
        var level = (logLevelOverride ?? parse.GetValue(common.LogLevel)) switch
        {
            "debug" => CoreLogLevel.Debug,
            "warning" => CoreLogLevel.Warning,
            "error" => CoreLogLevel.Error,
            _ => CoreLogLevel.Info,
        };
        Log = new ConsoleStageLog(level, stderr, timestamps: Console.IsErrorRedirected);
    }

    public string Stage { get; }
    public TextWriter Stdout { get; }
    public TextWriter Stderr { get; }
    public IStageLog Log { get; }
    public string Output => _parse.GetValue(_common.Output) ?? "text";
    public string? ResultDir => _parse.GetValue(_common.ResultDir);
    public string? SnapshotPath => _parse.GetValue(_common.Snapshot);

    public T? Get<T>(Option<T> option) => _parse.GetValue(option);

    public WorkspaceLayout Workspace()
    {
        var path = _parse.GetValue(_common.Workspace);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException($"--workspace is required (or set {CommonOptions.WorkspaceEnvironmentVariable})");
        }

        if (File.Exists(path))
        {
            throw new UsageException($"--workspace {path}: is a file, not a folder");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new UsageException("--workspace: the path holds a NUL character");
        }

        return new WorkspaceLayout(path);
    }

    /// <summary>A snapshot when --snapshot is given, else the live cluster.</summary>
    public IClusterReader ClusterReader()
    {
        if (SnapshotPath is { } snapshot)
        {
            try
            {
                return SnapshotCluster.Load(snapshot);
            }
            catch (ManifestFormatException ex)
            {
                throw new UsageException(ex.Message, ex);
            }
        }

        return Live();
    }

    /// <summary>A live cluster (apply, cleanup and dsc-finalize write to it, validate watches it); a snapshot is refused.</summary>
    public ICluster ClusterWriter()
    {
        if (SnapshotPath is not null)
        {
            throw new UsageException($"odh-{Stage} needs a live cluster and cannot run on --snapshot; point it at a cluster (--kubeconfig/--context) or rehearse with 'odh-migrate rehearse'");
        }

        return Live();
    }

    private LiveCluster Live()
    {
        try
        {
            return LiveCluster.Connect(new LiveClusterConnection(_parse.GetValue(_common.Kubeconfig), _parse.GetValue(_common.Context)), Log);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            throw new UsageException($"cannot load cluster configuration: {ex.Message}", ex);
        }
    }
}
