using OdhMigration.Core.Cluster;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Discover;
using OdhMigration.Core.Tests.Support;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using static OdhMigration.Core.Tests.Discover.DiscoverFixtures;

namespace OdhMigration.Core.Tests.Discover;

public sealed class DiscoverEngineTests
{
    private static async Task<Inventory> DiscoverAsync(IClusterReader cluster, DiscoverOptions options, MemoryStageLog? log = null)
    {
        using var ws = new TempWorkspace();
        var (outcome, inventory) = await new DiscoverEngine(cluster, log ?? new MemoryStageLog()).RunAsync(options, ws.Layout, TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var (reread, _) = await WorkspaceDocuments.ReadInventoryAsync(ws.Layout, TestContext.Current.CancellationToken);
        Assert.Equal(inventory.Items.Count, reread.Items.Count);
        return inventory;
    }

    private static InventoryItem Item(Inventory inventory, string name) => Assert.Single(inventory.Items, i => i.Name == name);

    [Fact]
    public async Task Mode_comes_from_annotation_then_status_then_cluster_default_and_says_so()
    {
        var cluster = Snapshot(Namespace("p"), Dsci("custom-apps"), ConfigMap("Serverless", "custom-apps"), Runtime("ovms", "p"),
            Isvc("a-knative", "p", mode: "Knative"),
            Isvc("b-standard", "p", mode: "Standard"),
            Isvc("c-status", "p", mode: null, status: "deploymentMode: RawDeployment"),
            Isvc("d-default", "p", mode: null),
            Isvc("e-mm", "p", mode: "ModelMesh"));

        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"] });

        Assert.Equal(("Serverless", "annotation"), (Item(inventory, "a-knative").Mode, Item(inventory, "a-knative").ModeSource));
        Assert.Equal(("RawDeployment", "annotation"), (Item(inventory, "b-standard").Mode, Item(inventory, "b-standard").ModeSource));
        Assert.Equal(("RawDeployment", "status"), (Item(inventory, "c-status").Mode, Item(inventory, "c-status").ModeSource));
        Assert.Equal(("Serverless", "cluster-default"), (Item(inventory, "d-default").Mode, Item(inventory, "d-default").ModeSource));
        Assert.Equal("ModelMesh", Item(inventory, "e-mm").Mode);
        Assert.Equal("custom-apps", inventory.Cluster.ApplicationsNamespace);

        // The upstream scripts skip unannotated Serverless ISVCs; here it is eligible and selected.
        Assert.True(Item(inventory, "d-default").Selected);
        Assert.False(Item(inventory, "b-standard").Eligible);
    }

    [Fact]
    public async Task ModelMesh_predictor_objects_are_reported_as_not_migrated_and_leave_the_isvcs_alone()
    {
        var predictor = File.ReadAllText(Path.Combine(RepoPaths.Shared, "fixtures", "upstream", "modelmesh-serving", "example-predictors", "example-mlserver-sklearn-mnist-predictor.yaml"))
            .Replace("metadata:\n", "metadata:\n  namespace: p\n", StringComparison.Ordinal);
        var cluster = Snapshot(Namespace("p"), Dsci(), ConfigMap("Serverless"), Runtime("ovms", "p"), Isvc("m", "p", mode: "ModelMesh"), predictor);
        var log = new MemoryStageLog();
        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"] }, log);

        var warning = Assert.Single(inventory.Warnings, w => w.Contains("Predictor", StringComparison.Ordinal));
        Assert.Contains("namespace p holds 1 ModelMesh Predictor object(s)", warning, StringComparison.Ordinal);
        Assert.Contains("example-sklearn-mnist-svm", warning, StringComparison.Ordinal);
        Assert.Contains("not migrated", warning, StringComparison.Ordinal);
        var without = await DiscoverAsync(Snapshot(Namespace("p"), Dsci(), ConfigMap("Serverless"), Runtime("ovms", "p"), Isvc("m", "p", mode: "ModelMesh")), new DiscoverOptions { Namespaces = ["p"] });
        Assert.Equal(without.Items.Select(i => (i.Name, i.Selected, i.Mode)), inventory.Items.Select(i => (i.Name, i.Selected, i.Mode)));
        Assert.DoesNotContain(without.Warnings, w => w.Contains("Predictor", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message == warning);
    }

    [Fact]
    public async Task Cluster_default_falls_back_to_redhat_ods_applications_without_a_dsci()
    {
        var cluster = Snapshot(Namespace("p"), ConfigMap("RawDeployment", "redhat-ods-applications"), Runtime("ovms", "p"), Isvc("m", "p", mode: null));
        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"] });
        Assert.Equal("redhat-ods-applications", inventory.Cluster.ApplicationsNamespace);
        Assert.Equal(("RawDeployment", "cluster-default"), (Item(inventory, "m").Mode, Item(inventory, "m").ModeSource));
    }

    [Fact]
    public async Task A_missing_namespace_is_a_usage_error_and_an_empty_one_is_not()
    {
        var cluster = Snapshot(Namespace("empty"), Dsci());
        var error = await Assert.ThrowsAsync<UsageException>(() => DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["nope"] }));
        Assert.Contains("'nope' does not exist", error.Message, StringComparison.Ordinal);

        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["empty"] });
        Assert.Empty(inventory.Items);
        Assert.Equal(["empty"], inventory.Scope.Namespaces);
    }

    [Fact]
    public async Task All_namespaces_covers_every_namespace_with_isvcs()
    {
        var cluster = Snapshot(Dsci(), Runtime("ovms", "a"), Runtime("ovms", "b"), Isvc("m1", "a"), Isvc("m2", "b"), Namespace("quiet"));
        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { AllNamespaces = true });
        Assert.Equal(["a", "b"], inventory.Scope.Namespaces);
        Assert.Equal(["a/m1", "b/m2"], inventory.Items.Select(i => $"{i.Namespace}/{i.Name}"));
    }

    [Fact]
    public async Task Selection_by_mode_select_exclude_and_selector()
    {
        var cluster = Snapshot(Namespace("p"), Namespace("q"), Dsci(), Runtime("ovms", "p"), Runtime("ovms", "q"), Runtime("mm", "p", multiModel: true),
            Isvc("s1", "p", labels: "team: red"), Isvc("s2", "p", labels: "team: blue"), Isvc("s3", "p"), Isvc("mm1", "p", mode: "ModelMesh"), Isvc("s1", "q"));

        var byMode = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p", "q"], Mode = "modelmesh" });
        Assert.Equal(["p/mm1"], byMode.Items.Where(i => i.Selected).Select(i => $"{i.Namespace}/{i.Name}"));
        Assert.Contains("not selected: --mode modelmesh", Item(byMode, "s2").Reasons);

        var bySelect = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p", "q"], Select = ["q/s1", "s2"] });
        Assert.Equal(["p/s2", "q/s1"], bySelect.Items.Where(i => i.Selected).Select(i => $"{i.Namespace}/{i.Name}").Order());

        var byExclude = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"], Exclude = ["s1", "mm1"] });
        Assert.Equal(["s2", "s3"], byExclude.Items.Where(i => i.Selected).Select(i => i.Name));

        var bySelector = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"], Selector = "team in (red,blue)" });
        Assert.Equal(["s1", "s2"], bySelector.Items.Where(i => i.Selected).Select(i => i.Name));
    }

    [Fact]
    public async Task Select_naming_an_unknown_isvc_is_a_usage_error()
    {
        var cluster = Snapshot(Namespace("p"), Dsci(), Runtime("ovms", "p"), Isvc("s1", "p"));
        var error = await Assert.ThrowsAsync<UsageException>(() => DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"], Select = ["s1", "typo"] }));
        Assert.Contains("typo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Facts_runtime_sharing_auth_visibility_storage_and_components()
    {
        var cluster = Snapshot(Namespace("p"), Dsci(), Runtime("ovms", "p"), Runtime("other", "p", format: "sklearn", autoSelect: false),
            Isvc("auto", "p", annotations: "security.opendatahub.io/enable-auth: 'true'"),
            Isvc("named", "p", runtime: "ovms", labels: "security.opendatahub.io/enable-auth: 'true', networking.knative.dev/visibility: cluster-local",
                storage: "storageUri: 'pvc://models-claim/fraud/model'",
                extraSpec: "  transformer:\n    containers: [{name: t, image: t}]"),
            Isvc("s3uri", "p", runtime: "ovms", storage: "storageUri: 's3://user:pw@bucket/model'"));

        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"] });
        var auto = Item(inventory, "auto").Facts;
        Assert.Equal(("ovms", "auto-select", true), (auto.Runtime, auto.RuntimeResolvedBy, auto.RuntimeExists));
        Assert.Equal(["named", "s3uri"], auto.RuntimeSharedWith);
        Assert.Equal((true, "annotation", "public"), (auto.Auth, auto.AuthSource, auto.Visibility));
        Assert.Equal(("storage-key", "aws-connection-models", "models/m.onnx"), (auto.StorageForm, auto.StorageKey, auto.StoragePath));

        var named = Item(inventory, "named").Facts;
        Assert.Equal((true, "label", "cluster-local"), (named.Auth, named.AuthSource, named.Visibility));
        Assert.Equal(("pvc", "models-claim", "fraud/model"), (named.StorageForm, named.StorageKey, named.StoragePath));
        Assert.True(named.HasTransformer);
        Assert.False(named.HasExplainer);

        // Only the scheme of a remote URI is recorded: it may carry credentials.
        var s3 = Item(inventory, "s3uri").Facts;
        Assert.Equal(("storage-uri:s3", null, null), (s3.StorageForm, s3.StorageKey, s3.StoragePath));
        Assert.Contains(Item(inventory, "auto").Warnings, w => w.Contains("shared with named, s3uri", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gitops_ownership_and_long_names_are_warnings()
    {
        var longName = new string('m', 50);
        var cluster = Snapshot(Namespace("p"), Dsci(), Runtime("ovms", "p"),
            Isvc("argo", "p", annotations: "argocd.argoproj.io/tracking-id: 'app:serving.kserve.io/InferenceService:p/argo'"),
            Isvc("flux", "p", labels: "kustomize.toolkit.fluxcd.io/name: apps"),
            Isvc(longName, "p"));

        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"] });
        Assert.Equal("argocd", Item(inventory, "argo").Facts.GitOps);
        Assert.Contains(Item(inventory, "argo").Warnings, w => w.Contains("--allow-gitops", StringComparison.Ordinal));
        Assert.Equal("flux", Item(inventory, "flux").Facts.GitOps);
        Assert.Contains(Item(inventory, longName).Warnings, w => w.Contains("'-raw' suffix", StringComparison.Ordinal));
        Assert.True(Item(inventory, "argo").Selected); // a warning, not a blocker: apply decides
    }

    [Fact]
    public async Task Blockers_name_the_field_and_do_not_affect_other_items()
    {
        var cluster = Snapshot(Namespace("p"), Dsci(), Runtime("ovms", "p"),
            Isvc("missing-rt", "p", runtime: "gone"),
            Isvc("no-format", "p", format: "pmml"),
            Isvc("old", "p", apiVersion: "serving.kserve.io/v1alpha2"),
            Isvc("good", "p"),
            """
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: broken, namespace: p, annotations: {serving.kserve.io/deploymentMode: Serverless}}
            spec: {predictor: oops}
            """);

        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"] });
        Assert.Contains("spec.predictor.model.runtime names ServingRuntime 'gone'", Assert.Single(Item(inventory, "missing-rt").Blockers), StringComparison.Ordinal);
        Assert.Contains("auto-selects model format 'pmml'", Assert.Single(Item(inventory, "no-format").Blockers), StringComparison.Ordinal);
        Assert.Contains(Item(inventory, "old").Blockers, b => b.Contains("v1alpha2", StringComparison.Ordinal));
        Assert.Contains("spec.predictor is missing or not a mapping", Assert.Single(Item(inventory, "broken").Blockers), StringComparison.Ordinal);
        Assert.All(inventory.Items.Where(i => i.Name != "good"), i => Assert.False(i.Selected));
        Assert.True(Item(inventory, "good").Selected);
    }

    [Fact]
    public async Task Picker_narrows_the_selection_and_cancelling_is_a_refusal()
    {
        var cluster = Snapshot(Namespace("p"), Dsci(), Runtime("ovms", "p"), Isvc("a", "p"), Isvc("b", "p"), Isvc("c", "p"), Isvc("raw", "p", mode: "RawDeployment"));
        IReadOnlyList<string>? offered = null;
        var inventory = await DiscoverAsync(cluster, new DiscoverOptions
        {
            Namespaces = ["p"],
            Picker = (candidates, _) =>
            {
                offered = candidates.Select(c => c.Name).ToList();
                return Task.FromResult<IReadOnlyCollection<int>?>([1]);
            },
        });
        Assert.Equal(["a", "b", "c"], offered);
        Assert.Equal(["b"], inventory.Items.Where(i => i.Selected).Select(i => i.Name));
        Assert.Contains("not selected: not picked interactively", Item(inventory, "a").Reasons);

        using var ws = new TempWorkspace();
        var engine = new DiscoverEngine(cluster, new MemoryStageLog());
        await Assert.ThrowsAsync<PreconditionException>(() => engine.RunAsync(new DiscoverOptions { Namespaces = ["p"], Picker = (_, _) => Task.FromResult<IReadOnlyCollection<int>?>(null) }, ws.Layout, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(ws.Layout.Inventory));
    }

    [Fact]
    public async Task Preflight_is_skipped_on_a_snapshot_and_says_so()
    {
        var cluster = Snapshot(Namespace("p"), Dsci(), Runtime("ovms", "p"), Isvc("a", "p"));
        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"] });
        Assert.Empty(inventory.Preflight);
        Assert.Contains(inventory.Warnings, w => w.Contains("pre-flight permission checks skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Preflight_on_a_cluster_reports_per_stage_what_would_be_refused()
    {
        var snapshot = Snapshot(Namespace("p"), Dsci(), Runtime("ovms", "p"), Isvc("a", "p"));
        var cluster = new CountingCluster(snapshot) { Deny = (verb, kind, ns) => verb == "delete" && kind.Plural == "routes" };
        var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"] });

        Assert.Equal(["apply", "cleanup", "export"], inventory.Preflight.Select(c => c.Stage).Distinct().Order());
        var refused = Assert.Single(inventory.Preflight, c => !c.Allowed);
        Assert.Equal(("cleanup", "delete", "routes.route.openshift.io", "istio-system"), (refused.Stage, refused.Verb, refused.Resource, refused.Namespace));
        Assert.Contains(inventory.Warnings, w => w.StartsWith("cleanup would be refused: delete routes.route.openshift.io in istio-system", StringComparison.Ordinal));
        Assert.Contains(inventory.Preflight, c => c is { Stage: "apply", Verb: "create", Resource: "inferenceservices.serving.kserve.io", Namespace: "p", Allowed: true });
    }

    [Fact]
    public async Task Api_requests_do_not_grow_with_the_number_of_isvcs()
    {
        async Task<int> RequestsFor(int isvcs)
        {
            var docs = new List<string> { Namespace("p"), Dsci(), ConfigMap("Serverless"), Runtime("ovms", "p") };
            docs.AddRange(Enumerable.Range(0, isvcs).Select(i => Isvc($"m{i}", "p", annotations: "security.opendatahub.io/enable-auth: 'true'")));
            var cluster = new CountingCluster(Snapshot([.. docs]));
            var inventory = await DiscoverAsync(cluster, new DiscoverOptions { Namespaces = ["p"] });
            Assert.Equal(isvcs, inventory.Items.Count(i => i.Selected));
            return cluster.Requests;
        }

        var few = await RequestsFor(3);
        var many = await RequestsFor(60);
        Assert.Equal(few, many);
        Assert.InRange(few, 1, 60); // reads plus one access review per distinct (verb, kind, namespace)
    }
}
