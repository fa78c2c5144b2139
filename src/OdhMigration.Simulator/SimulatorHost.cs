using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Behaviours;
using OdhMigration.Simulator.Faults;
using OdhMigration.Simulator.Http;
using OdhMigration.Simulator.Schema;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator;

/// <summary>
/// A running simulator: a Kubernetes API server on loopback (Kestrel), backed by an in-memory store loaded from
/// a snapshot, with KServe-like behaviours. Start it, point clients at <see cref="BaseAddress"/> (or a kubeconfig
/// from <see cref="WriteKubeconfigAsync"/>), inspect <see cref="Store"/> for assertions, dispose to stop.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BehaviourRunner _behaviours;

    private SimulatorHost(WebApplication app, BehaviourRunner behaviours, ObjectStore store, FaultInjector faults, RequestLog requests, AccessReviewer access, Uri baseAddress, SimulatorOptions options)
    {
        _app = app;
        _behaviours = behaviours;
        Store = store;
        Faults = faults;
        Requests = requests;
        Access = access;
        BaseAddress = baseAddress;
        Options = options;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;/</summary>
    public Uri BaseAddress { get; }

    public SimulatorOptions Options { get; }

    /// <summary>The object store, for in-process reads and writes that bypass HTTP, faults and counters.</summary>
    public ObjectStore Store { get; }

    /// <summary>Fault injection; change <see cref="FaultInjector.Settings"/> at any time.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Request counters and the recent request log.</summary>
    public RequestLog Requests { get; }

    /// <summary>SelfSubjectAccessReview rules; change <see cref="AccessReviewer.Rules"/> at any time.</summary>
    public AccessReviewer Access { get; }

    /// <summary>
    /// Fires when the web host begins to stop. Its console lifetime takes SIGINT and SIGTERM, so a long-running
    /// simulator must watch this as well as its own cancellation to exit on Ctrl+C or a kill.
    /// </summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Starts on a snapshot file or folder; its CustomResourceDefinitions give the schemas unless <see cref="SimulatorOptions.Crds"/> is set.</summary>
    public static Task<SimulatorHost> StartAsync(SimulatorOptions options, string snapshotPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The objects read from the file are the store's own: it takes them without another copy.
        var documents = new SnapshotDocuments();
        if (options.Crds is not null)
        {
            return StartCoreAsync(options, SnapshotLoader.FromDocuments(documents.Read(snapshotPath), SnapshotKinds(options)), documents.IsOwned, null, cancellationToken);
        }

        // One pass over the snapshot: the CRDs are picked up as the documents stream by.
        var crds = new List<System.Text.Json.Nodes.JsonObject>();
        var objects = SnapshotLoader.FromDocuments(CrdSchemas.Collecting(documents.Read(snapshotPath), crds), SnapshotKinds(options));
        return StartCoreAsync(options with { Crds = new CrdSchemas(crds) }, objects, documents.IsOwned, null, cancellationToken);
    }

    public static Task<SimulatorHost> StartAsync(SimulatorOptions options, IEnumerable<SnapshotObject> snapshot, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        StartCoreAsync(options, snapshot, null, loggerFactory, cancellationToken);

    private static async Task<SimulatorHost> StartCoreAsync(SimulatorOptions options, IEnumerable<SnapshotObject> snapshot, Func<System.Text.Json.Nodes.JsonObject, bool>? owned, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var objects = snapshot.ToList();
        var endpoint = ParseListen(options.Listen);
        var clock = TimeProvider.System;
        var kinds = new KindRegistry(Kinds.All.Concat(SelfReviews.Kinds).Concat(Scheduling.SchedulingKinds.All).Concat(options.ExtraKinds).Concat(objects.Select(o => o.Kind)));
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("OdhMigration.Simulator");
        var schemas = new SchemaAdmission(options.Crds ?? CrdSchemas.Empty, message => SchemaLog.UnevaluatedRule(logger, message));
        var store = new ObjectStore(kinds, clock, options.WatchHistory)
        {
            PropagationFinalizers = options.GarbageCollector,
            ReadDefaults = schemas.DefaultStored,
            FieldTypes = new Patching.Ownership.FieldTypes(options.Crds ?? CrdSchemas.Empty),
        };
        store.Load(objects, owned);
        store.AddAdmission(schemas); // schema validation precedes the webhooks
        store.AddAdmission(new Admission.BuiltinValidation());
        if (options.DeploymentModeWebhook)
        {
            store.AddAdmission(new InferenceServiceWebhook());
        }

        if (options.ServingRuntimeWebhook)
        {
            store.AddAdmission(new Admission.ServingRuntimeWebhook(ns => store.List(Kinds.ServingRuntime, ListRequest.All(ns)).Items));
        }

        var faults = new FaultInjector(options.Faults);
        var requests = new RequestLog();
        var access = new AccessReviewer(options.Access);
        var server = new ApiServer(store, faults, requests, access, options, clock);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(endpoint);
        });
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        server.ServerAddress = baseAddress.Authority;

        var controllers = new List<IController>();
        if (options.KServe.Enabled)
        {
            // Pods first: the KServe controller reads them to decide whether the predictor is available.
            var pods = new PodController(store, options.KServe, clock);
            controllers.Add(pods);
            controllers.Add(new KServeController(store, options.KServe, clock, pods));
            controllers.Add(new ModelMeshController(store, options.KServe, clock, pods));
        }

        if (options.TokenController)
        {
            controllers.Add(new TokenController(store));
        }

        if (options.GarbageCollector)
        {
            controllers.Add(new GarbageCollector(store));
            controllers.Add(new NamespaceController(store));
        }

        var behaviours = new BehaviourRunner(store, controllers, logger);
        behaviours.Start();
        return new SimulatorHost(app, behaviours, store, faults, requests, access, baseAddress, options);
    }

    /// <summary>Waits until the in-process controllers have seen every change made so far.</summary>
    public Task WaitForIdleAsync(CancellationToken cancellationToken = default) => _behaviours.WaitForIdleAsync(cancellationToken);

    /// <summary>A kubeconfig for this server: plain http on loopback with a bearer token, context "simulator".</summary>
    public string Kubeconfig(string defaultNamespace = "default") => KubeconfigWriter.Render(BaseAddress, Options.Token, defaultNamespace);

    public async Task WriteKubeconfigAsync(string path, string defaultNamespace = "default", CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        // Write then rename, so a process waiting for the file never reads it half-written.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, Kubeconfig(defaultNamespace), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _behaviours.DisposeAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>Kinds a snapshot may hold besides <see cref="Kinds.All"/>: Nodes, and the caller's extra kinds.</summary>
    private static List<ResourceKind> SnapshotKinds(SimulatorOptions options) => [.. Scheduling.SchedulingKinds.All, .. options.ExtraKinds];

    private static IPEndPoint ParseListen(string listen)
    {
        var at = listen.LastIndexOf(':');
        if (at <= 0 || !int.TryParse(listen[(at + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ArgumentException($"listen address '{listen}' is not host:port", nameof(listen));
        }

        var host = listen[..at].Trim('[', ']');
        var ip = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (ip is null || !IPAddress.IsLoopback(ip))
        {
            throw new ArgumentException($"listen address '{listen}' must be a loopback address (127.0.0.1, ::1 or localhost)", nameof(listen));
        }

        return new IPEndPoint(ip, port);
    }
}
