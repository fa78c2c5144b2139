using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.TestDoubles;

/// <summary>Builds a workspace (inventory.json, original/ backups, planned files, plan.json) for apply/validate/cleanup engine tests.</summary>
public sealed class PlanWorkspace : IDisposable
{
    private readonly List<PlanItem> _items = [];
    private readonly List<InventoryItem> _inventory = [];
    private readonly List<ExportedItem> _exported = [];

    public PlanWorkspace()
    {
        Layout = new WorkspaceLayout(Path.Combine(Path.GetTempPath(), "odh-ws-" + Guid.NewGuid().ToString("N")[..10]));
        Directory.CreateDirectory(Layout.Root);
    }

    public WorkspaceLayout Layout { get; }

    public PlanOptions Options { get; set; } = new();

    public static JsonObject Isvc(string ns, string name, string mode = "Serverless", string runtime = "rt", string? uid = null)
    {
        var isvc = Manifest.NewObject(Kinds.InferenceService, name, ns);
        isvc.SetAnnotation(DeploymentMode.AnnotationKey, mode);
        if (uid is not null)
        {
            isvc.Metadata()["uid"] = uid;
        }

        isvc["spec"] = new JsonObject { ["predictor"] = new JsonObject { ["model"] = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = "onnx" }, ["runtime"] = runtime, ["storageUri"] = "s3://b/m" } } };
        return isvc;
    }

    public static JsonObject Runtime(string ns, string name)
    {
        var rt = Manifest.NewObject(Kinds.ServingRuntime, name, ns);
        rt["spec"] = new JsonObject { ["supportedModelFormats"] = new JsonArray(new JsonObject { ["name"] = "onnx", ["autoSelect"] = true }), ["containers"] = new JsonArray(new JsonObject { ["name"] = "kserve-container", ["image"] = "img" }) };
        return rt;
    }

    public static JsonObject ServiceAccount(string ns, string name) => Manifest.NewObject(Kinds.ServiceAccount, name, ns);

    public static JsonObject TokenSecret(string ns, string name, string sa)
    {
        var secret = Manifest.NewObject(Kinds.Secret, name, ns);
        secret["type"] = "kubernetes.io/service-account-token";
        secret.SetAnnotation("kubernetes.io/service-account.name", sa);
        return secret;
    }

    public static JsonObject Namespace(string name, params (string Key, string Value)[] labels)
    {
        var ns = Manifest.NewObject(Kinds.Namespace, name, null);
        foreach (var (k, v) in labels)
        {
            ns.SetLabel(k, v);
        }

        return ns;
    }

    /// <summary>Adds an item: writes the original backup and the planned objects, and the matching inventory entry.</summary>
    public PlanItem Add(string ns, string name, string strategy, IEnumerable<JsonObject> create, JsonObject? original = null, string sourceMode = "Serverless",
        string? gitOps = null, string? uid = null, string? targetNamespace = null, IEnumerable<ObjectRef>? secretCopies = null, IEnumerable<JsonObject>? extraOriginals = null, IEnumerable<LabelChange>? labelChanges = null)
    {
        original ??= Isvc(ns, name, sourceMode);
        var originalDir = Layout.Original(ns, name);
        var deletions = new List<PlannedDeletion>();
        var exportedFiles = new List<ExportedFile>();
        foreach (var obj in new[] { original }.Concat(extraOriginals ?? []))
        {
            var backupPath = Path.Combine(originalDir, ManifestFileNames.For(obj.Kind()!, obj.Name()));
            var copy = obj.DeepCopy();
            ServerFields.StripForBackup(copy);
            Directory.CreateDirectory(originalDir);
            var backupText = Yaml.Serialize(copy);
            File.WriteAllText(backupPath, backupText);
            var sha = Hashing.Sha256Hex(backupText);
            deletions.Add(new PlannedDeletion(obj.Kind()!, obj.ApiVersion()!, obj.Name(), obj.Namespace(), "original", Layout.Relative(backupPath)) { BackupSha256 = sha });
            exportedFiles.Add(new ExportedFile(Layout.Relative(backupPath), sha, obj.Kind() == "InferenceService" ? "isvc" : obj.Kind()!.ToLowerInvariant(), obj.Kind()!, obj.Name(), obj.Namespace()));
        }

        _exported.Add(new ExportedItem { Namespace = ns, Name = name, Files = exportedFiles });

        var dir = strategy == "side-by-side" ? Layout.Raw(ns, name) : Layout.RawOriginalNames(ns, name);
        Directory.CreateDirectory(dir);
        var files = new List<PlannedFile>();
        var createList = create.ToList();
        foreach (var obj in createList)
        {
            var path = Path.Combine(dir, ManifestFileNames.For(obj.Kind()!, obj.Name(), ManifestFileNames.IsTokenSecret(obj)));
            var text = Yaml.Serialize(obj);
            File.WriteAllText(path, text);
            files.Add(new PlannedFile(Layout.Relative(path), Hashing.Sha256Hex(text), obj.Kind()!, obj.Name(), obj.Namespace()));
        }

        var target = createList.First(o => o.Kind() == "InferenceService");
        var item = new PlanItem
        {
            Namespace = ns,
            Name = name,
            SourceMode = sourceMode,
            Strategy = strategy,
            TargetNamespace = targetNamespace ?? target.Namespace()!,
            TargetName = target.Name(),
            ApplyDir = Layout.Relative(dir),
            Files = files,
            Create = createList.Select(o => new ObjectRef(o.Kind()!, o.ApiVersion()!, o.Name(), o.Namespace())).ToList(),
            DeleteOnCleanup = strategy == "in-place" ? [] : deletions,
            DeleteBeforeApply = strategy == "in-place" ? deletions : [],
            LabelChanges = labelChanges?.ToList() ?? [],
            SecretCopies = secretCopies?.ToList() ?? [],
            DeleteBeforeCreate = strategy == "in-place",
            Endpoint = new EndpointMapping($"https://{name}-{ns}.apps.example.com", target.Namespace()!, target.Name(), null, "exposed"),
        };
        _items.Add(item);
        _inventory.Add(new InventoryItem
        {
            Namespace = ns,
            Name = name,
            Uid = uid ?? original.Uid(),
            Mode = sourceMode,
            Eligible = true,
            Selected = true,
            Facts = new IsvcFacts
            {
                GitOps = gitOps,
                Runtime = original.At("spec", "predictor", "model").Str("runtime"),
                RuntimeResolvedBy = original.At("spec", "predictor", "model").Str("runtime") is null ? null : "spec",
            },
        });
        return item;
    }

    public void AddRefused(string ns, string name, string error) =>
        _items.Add(new PlanItem { Namespace = ns, Name = name, Status = "failed", Error = error });

    /// <summary>Writes inventory.json, export.json and plan.json (which records the other two's sha256, as transform does); returns the plan sha256.</summary>
    public async Task<string> WriteAsync(List<RuntimeUsage>? runtimes = null)
    {
        var inventorySha = await WorkspaceDocuments.WriteAsync(Layout.Inventory, new Inventory { Items = _inventory }, InventoryJsonContext.Default.Inventory);
        var exportSha = await WorkspaceDocuments.WriteAsync(Layout.Export, new ExportReport { Items = _exported }, ExportReportJsonContext.Default.ExportReport);
        var consumed = new List<ConsumedDocument> { new(WorkspaceLayout.InventoryFile, inventorySha), new(WorkspaceLayout.ExportFile, exportSha) };
        return await WorkspaceDocuments.WriteAsync(Layout.Plan, new Plan { Items = _items, Options = Options, Runtimes = runtimes ?? [], Consumed = consumed }, PlanJsonContext.Default.Plan);
    }

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
