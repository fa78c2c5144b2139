using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Schema;
using OdhMigration.Simulator;
using static OdhMigration.Integration.Tests.DscFinalize.FinalizeCluster;

namespace OdhMigration.Integration.Tests.DscFinalize;

/// <summary>odh-dsc-finalize against the simulator, seeded with the upstream 2.x DSC/DSCI samples.</summary>
public sealed class DscFinalizeSimulatorTests
{
    private const string CrdFolder = "odh-operator/stable-2.x";

    private const string AnnotatedModelMesh = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: mm}
        ---
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: legacy, namespace: mm, annotations: {serving.kserve.io/deploymentMode: ModelMesh}}
        spec: {predictor: {model: {modelFormat: {name: onnx}, storageUri: "s3://b/m"}}}
        """;

    public static TheoryData<string, string, string> Leftovers => new()
    {
        {
            "annotated ModelMesh", "ModelMesh", AnnotatedModelMesh
        },
        {
            // No annotation: only the status, or the cluster default, says what it is. The upstream scripts miss these.
            "ModelMesh by status", "ModelMesh",
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: mm}
            ---
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: legacy, namespace: mm}
            spec: {predictor: {model: {modelFormat: {name: onnx}, storageUri: "s3://b/m"}}}
            status: {deploymentMode: ModelMesh}
            """
        },
        {
            "Serverless by cluster default", "Serverless",
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: mm}
            ---
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: legacy, namespace: mm}
            spec: {predictor: {model: {modelFormat: {name: sklearn}, storageUri: "s3://b/m"}}}
            """
        },
    };

    [Theory]
    [MemberData(nameof(Leftovers))]
    public async Task A_leftover_isvc_refuses_with_exit_3_and_changes_nothing(string why, string mode, string leftover)
    {
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc, leftover);
        var dscBefore = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");
        var dsciBefore = await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci");

        var (exit, stdout, stderr) = await cluster.RunAsync();

        Assert.True(exit == ExitCodes.PreconditionFailed, $"{why}: exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains($"mm/legacy ({mode}", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("team/fraud-raw", stdout + stderr, StringComparison.Ordinal);
        AssertUnchanged(dscBefore, await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc"));
        AssertUnchanged(dsciBefore, await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci"));

        var report = cluster.FinalizeReport();
        Assert.Equal("refused", report.Str("verdict"));
        var listed = Assert.Single(report["leftovers"]!.AsArray());
        Assert.Equal(("mm", "legacy", mode), (listed.Str("namespace"), listed.Str("name"), listed.Str("mode")));
        Assert.False(Directory.Exists(Path.Combine(cluster.Workspace, "cluster")) && Directory.EnumerateDirectories(Path.Combine(cluster.Workspace, "cluster"), "finalize-backup-*").Any(), "a refused run must not even back up");
    }

    [Fact]
    public async Task An_isvc_being_deleted_still_counts_as_a_leftover()
    {
        // With the finalizer kept (Knative removed too early, say), the ISVC hangs in Terminating: the DSC must wait.
        var options = new SimulatorOptions { KServe = new KServeControllerOptions { ReleaseFinalizers = false, ReadyDelay = TimeSpan.FromMilliseconds(50) } };
        await using var cluster = await StartAsync(options, UpstreamDsc, UpstreamDsci, ApplicationsNamespace, """
            apiVersion: v1
            kind: Namespace
            metadata: {name: sl}
            ---
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata:
              name: going
              namespace: sl
              annotations: {serving.kserve.io/deploymentMode: Serverless}
              finalizers: [inferenceservice.finalizers]
            spec: {predictor: {model: {modelFormat: {name: onnx}, storageUri: "s3://b/m"}}}
            """);
        await cluster.Sim.Cluster.DeleteAsync(Kinds.InferenceService, "sl", "going", new OdhMigration.Core.Cluster.DeleteOptions(), TestContext.Current.CancellationToken);
        Assert.NotNull((await cluster.GetAsync(Kinds.InferenceService, "going", "sl")).At("metadata", "deletionTimestamp"));

        var (exit, stdout, stderr) = await cluster.RunAsync();

        Assert.Equal(ExitCodes.PreconditionFailed, exit);
        Assert.Contains("sl/going (Serverless, being deleted)", stdout + stderr, StringComparison.Ordinal);
        Assert.True(cluster.FinalizeReport()["leftovers"]![0]!["beingDeleted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Dry_run_prints_the_exact_diff_and_changes_nothing()
    {
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc);
        var dscBefore = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");
        var dsciBefore = await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci");

        var (exit, stdout, stderr) = await cluster.RunAsync("--dry-run");

        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{stdout}\n{stderr}");
        var output = stdout + stderr;
        Assert.Contains("dry run: DataScienceCluster default-dsc: spec.components.kserve.defaultDeploymentMode: (unset) -> RawDeployment", output, StringComparison.Ordinal);
        Assert.Contains("dry run: DataScienceCluster default-dsc: spec.components.kserve.serving.managementState: Managed -> Removed", output, StringComparison.Ordinal);
        Assert.Contains("dry run: DataScienceCluster default-dsc: spec.components.modelmeshserving.managementState: Managed -> Removed", output, StringComparison.Ordinal);
        Assert.Contains("dry run: DSCInitialization default-dsci: spec.serviceMesh.managementState: Managed -> Removed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("spec.components.kserve.managementState", output, StringComparison.Ordinal);

        AssertUnchanged(dscBefore, await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc"));
        AssertUnchanged(dsciBefore, await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci"));
        var report = cluster.FinalizeReport();
        Assert.True(report["dryRun"]!.GetValue<bool>());
        Assert.Equal(4, report["changes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Success_changes_exactly_the_guide_fields_backs_up_first_and_a_second_run_is_a_no_op()
    {
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc, LegacyOperators);
        var dscBefore = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");
        var dsciBefore = await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci");

        var (exit, stdout, stderr) = await cluster.RunAsync();
        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{stdout}\n{stderr}");

        var dsc = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");
        var dsci = await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci");
        Assert.Equal(
            [
                "spec.components.kserve.defaultDeploymentMode: (unset) -> RawDeployment",
                "spec.components.kserve.serving.managementState: Managed -> Removed",
                "spec.components.modelmeshserving.managementState: Managed -> Removed",
            ],
            JsonDiff.Leaves(dscBefore["spec"], dsc["spec"], "spec").Select(d => d.ToString()));
        Assert.Equal(["spec.serviceMesh.managementState: Managed -> Removed"], JsonDiff.Leaves(dsciBefore["spec"], dsci["spec"], "spec").Select(d => d.ToString()));
        Assert.Equal("Managed", dsc.At("spec", "components", "kserve").Str("managementState"));
        Assert.Equal("data-science-smcp", dsci.At("spec", "serviceMesh", "controlPlane").Str("name"));
        Assert.Equal(dscBefore.At("metadata", "labels")!.ToJsonString(), dsc.At("metadata", "labels")!.ToJsonString());

        // What the operator's API server would keep: nothing we wrote is pruned by the real 2.x CRD schemas.
        Assert.Empty(CrdSchemaValidator.Validate(CrdFolder, dsc));
        Assert.Empty(CrdSchemaValidator.Validate(CrdFolder, dsci));
        var misspelt = (JsonObject)dsc.DeepClone();
        misspelt["spec"]!["components"]!["kserve"]!["defaultDeployMode"] = "RawDeployment";
        Assert.NotEmpty(CrdSchemaValidator.Validate(CrdFolder, misspelt));

        // The backup holds the objects as they were before the patch, plus the ConfigMap.
        var report = cluster.FinalizeReport();
        Assert.Equal("done", report.Str("verdict"));
        var backups = report["backups"]!.AsArray().Select(b => b!.GetValue<string>()).ToList();
        Assert.Equal(3, backups.Count);
        var dscBackup = (JsonObject)Yaml.ParseSingle(File.ReadAllText(Path.Combine(cluster.Workspace, backups.Single(b => b.Contains("datasciencecluster-", StringComparison.Ordinal)))), "backup")!;
        Assert.Equal("Managed", dscBackup.At("spec", "components", "kserve", "serving").Str("managementState"));
        Assert.Contains(backups, b => b.Contains("configmap-inferenceservice-config", StringComparison.Ordinal));

        // Knative and Service Mesh 2 are no longer needed; Authorino is, as nothing else shares it, reported free too.
        var operators = report["operators"]!.AsArray().OfType<JsonObject>().ToDictionary(o => o.Str("operator")!, o => o["safeToUninstall"]!.GetValue<bool>());
        Assert.Equal(3, operators.Count);
        Assert.All(operators, o => Assert.True(o.Value, o.Key));
        Assert.NotNull(await cluster.FindAsync(Kinds.Subscription, "serverless-operator", "openshift-serverless"));

        var dscVersion = dsc.At("metadata").Str("resourceVersion");
        var dsciVersion = dsci.At("metadata").Str("resourceVersion");
        var second = await cluster.RunAsync();
        Assert.True(second.ExitCode == ExitCodes.Success, $"second run: exit {second.ExitCode}\n{second.Stdout}\n{second.Stderr}");
        Assert.Equal("no-change", cluster.FinalizeReport().Str("verdict"));
        Assert.Empty(cluster.FinalizeReport()["backups"]!.AsArray());
        Assert.Equal(dscVersion, (await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc")).At("metadata").Str("resourceVersion"));
        Assert.Equal(dsciVersion, (await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci")).At("metadata").Str("resourceVersion"));
    }

    [Fact]
    public async Task Unmanaged_serving_and_service_mesh_are_left_alone_and_service_mesh_2_blocks_the_upgrade()
    {
        var dscText = UpstreamDsc.Replace("name: \"knative-serving\",\n        managementState: \"Managed\"", "name: \"knative-serving\",\n        managementState: \"Unmanaged\"", StringComparison.Ordinal);
        var dsciText = UpstreamDsci.Replace("    managementState: \"Managed\"\n  trustedCABundle", "    managementState: \"Unmanaged\"\n  trustedCABundle", StringComparison.Ordinal);
        Assert.NotEqual(UpstreamDsc, dscText);
        Assert.NotEqual(UpstreamDsci, dsciText);
        await using var cluster = await StartAsync(dscText, dsciText, ApplicationsNamespace, MigratedIsvc, LegacyOperators);
        var dscBefore = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");
        var dsciBefore = await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci");

        var (exit, stdout, stderr) = await cluster.RunAsync();

        // The DSC edits that are ours to make still happen; the blocker is reported and the exit is not a success.
        Assert.True(exit == ExitCodes.PartialFailure, $"exit {exit}\n{stdout}\n{stderr}");
        var dsc = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");
        Assert.Equal(
            [
                "spec.components.kserve.defaultDeploymentMode: (unset) -> RawDeployment",
                "spec.components.modelmeshserving.managementState: Managed -> Removed",
            ],
            JsonDiff.Leaves(dscBefore["spec"], dsc["spec"], "spec").Select(d => d.ToString()));
        AssertUnchanged(dsciBefore, await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci"));
        Assert.Contains("Service Mesh 2 is still installed", stderr, StringComparison.Ordinal);

        var report = cluster.FinalizeReport();
        Assert.Equal("blocked", report.Str("verdict"));
        var operators = report["operators"]!.AsArray().OfType<JsonObject>().ToDictionary(o => o.Str("operator")!, o => o["safeToUninstall"]!.GetValue<bool>());
        Assert.False(operators["OpenShift Serverless"]);
        Assert.False(operators["OpenShift Service Mesh 2"]);
    }

    [Fact]
    public async Task Unmanaged_service_mesh_without_service_mesh_2_installed_is_not_a_blocker()
    {
        var dsciText = UpstreamDsci.Replace("    managementState: \"Managed\"\n  trustedCABundle", "    managementState: \"Unmanaged\"\n  trustedCABundle", StringComparison.Ordinal);
        await using var cluster = await StartAsync(UpstreamDsc, dsciText, ApplicationsNamespace, MigratedIsvc);
        var dsciBefore = await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci");

        var (exit, stdout, stderr) = await cluster.RunAsync();

        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{stdout}\n{stderr}");
        AssertUnchanged(dsciBefore, await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci"));
        Assert.Equal("done", cluster.FinalizeReport().Str("verdict"));
    }

    [Fact]
    public async Task Several_dscs_need_dsc_and_only_the_named_one_is_changed()
    {
        var second = UpstreamDsc.Replace("name: default-dsc", "name: other-dsc", StringComparison.Ordinal);
        await using var cluster = await StartAsync(UpstreamDsc, second, UpstreamDsci, ApplicationsNamespace, MigratedIsvc);
        var before = await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc");
        var otherBefore = await cluster.GetAsync(Kinds.DataScienceCluster, "other-dsc");
        var dsciBefore = await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci");

        var (exit, stdout, stderr) = await cluster.RunAsync();
        Assert.True(exit == ExitCodes.UsageError, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("default-dsc, other-dsc", stderr, StringComparison.Ordinal);
        Assert.Contains("--dsc", stderr, StringComparison.Ordinal);
        AssertUnchanged(before, await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc"));
        AssertUnchanged(otherBefore, await cluster.GetAsync(Kinds.DataScienceCluster, "other-dsc"));
        AssertUnchanged(dsciBefore, await cluster.GetAsync(Kinds.DSCInitialization, "default-dsci"));

        var unknown = await cluster.RunAsync("--dsc", "missing");
        Assert.Equal(ExitCodes.UsageError, unknown.ExitCode);
        Assert.Contains("--dsc 'missing'", unknown.Stderr, StringComparison.Ordinal);

        var named = await cluster.RunAsync("--dsc", "other-dsc");
        Assert.True(named.ExitCode == ExitCodes.Success, $"exit {named.ExitCode}\n{named.Stdout}\n{named.Stderr}");
        AssertUnchanged(before, await cluster.GetAsync(Kinds.DataScienceCluster, "default-dsc"));
        Assert.Equal("Removed", (await cluster.GetAsync(Kinds.DataScienceCluster, "other-dsc")).At("spec", "components", "modelmeshserving").Str("managementState"));
    }

    [Fact]
    public async Task Uninstall_operators_deletes_subscription_and_csv_of_free_operators_only()
    {
        const string connectivityLink = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: kuadrant-system}
            ---
            apiVersion: operators.coreos.com/v1alpha1
            kind: Subscription
            metadata: {name: rhcl-operator, namespace: kuadrant-system}
            spec: {name: rhcl-operator}
            status: {installedCSV: rhcl-operator.v1.1.0}
            """;
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc, LegacyOperators, connectivityLink);

        var dryRun = await cluster.RunAsync("--uninstall-operators", "--dry-run");
        Assert.True(dryRun.ExitCode == ExitCodes.Success, $"exit {dryRun.ExitCode}\n{dryRun.Stdout}\n{dryRun.Stderr}");
        Assert.NotNull(await cluster.FindAsync(Kinds.Subscription, "serverless-operator", "openshift-serverless"));
        Assert.NotNull(await cluster.FindAsync(Kinds.ClusterServiceVersion, "serverless-operator.v1.35.0", "openshift-serverless"));

        var (exit, stdout, stderr) = await cluster.RunAsync("--uninstall-operators");
        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Null(await cluster.FindAsync(Kinds.Subscription, "serverless-operator", "openshift-serverless"));
        Assert.Null(await cluster.FindAsync(Kinds.ClusterServiceVersion, "serverless-operator.v1.35.0", "openshift-serverless"));
        Assert.Null(await cluster.FindAsync(Kinds.Subscription, "servicemeshoperator", "openshift-operators"));
        Assert.Null(await cluster.FindAsync(Kinds.ClusterServiceVersion, "servicemeshoperator.v2.6.5", "openshift-operators"));

        // Connectivity Link shares Authorino: it stays, and so does everything that is not ours to judge.
        Assert.NotNull(await cluster.FindAsync(Kinds.Subscription, "authorino-operator", "openshift-operators"));
        Assert.NotNull(await cluster.FindAsync(Kinds.ClusterServiceVersion, "authorino-operator.v1.2.0", "openshift-operators"));
        Assert.NotNull(await cluster.FindAsync(Kinds.Subscription, "rhcl-operator", "kuadrant-system"));
    }

    [Fact]
    public async Task Uninstall_operators_never_runs_when_the_precondition_refuses()
    {
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, LegacyOperators, AnnotatedModelMesh);

        var (exit, _, _) = await cluster.RunAsync("--uninstall-operators");

        Assert.Equal(ExitCodes.PreconditionFailed, exit);
        Assert.NotNull(await cluster.FindAsync(Kinds.Subscription, "serverless-operator", "openshift-serverless"));
        Assert.NotNull(await cluster.FindAsync(Kinds.ClusterServiceVersion, "servicemeshoperator.v2.6.5", "openshift-operators"));
    }

    [Fact]
    public async Task Hardware_profile_ignorelist_edits_the_config_map_after_its_backup_and_only_once()
    {
        await using var cluster = await StartAsync(UpstreamDsc, UpstreamDsci, ApplicationsNamespace, MigratedIsvc);

        var (exit, stdout, stderr) = await cluster.RunAsync("--hardware-profile-ignorelist");

        Assert.True(exit == ExitCodes.Success, $"exit {exit}\n{stdout}\n{stderr}");
        var configMap = await cluster.GetAsync(Kinds.ConfigMap, "inferenceservice-config", "redhat-ods-applications");
        Assert.Equal("false", configMap.Annotation("opendatahub.io/managed"));
        var settings = JsonNode.Parse(configMap.At("data").Str("inferenceService")!)!;
        Assert.Equal(["opendatahub.io/hardware-profile-name", "opendatahub.io/hardware-profile-namespace"], settings["serviceAnnotationDisallowedList"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("{\"defaultDeploymentMode\": \"Serverless\"}", configMap.At("data").Str("deploy"));
        var backup = cluster.FinalizeReport()["backups"]!.AsArray().Select(b => b!.GetValue<string>()).Single(b => b.Contains("configmap-", StringComparison.Ordinal));
        var saved = (JsonObject)Yaml.ParseSingle(File.ReadAllText(Path.Combine(cluster.Workspace, backup)), "backup")!;
        Assert.Null(saved.At("data").Str("inferenceService"));
        Assert.Contains("restart Deployment kserve-controller-manager", stdout + stderr, StringComparison.Ordinal);

        var version = configMap.At("metadata").Str("resourceVersion");
        var again = await cluster.RunAsync("--hardware-profile-ignorelist");
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.Equal(version, (await cluster.GetAsync(Kinds.ConfigMap, "inferenceservice-config", "redhat-ods-applications")).At("metadata").Str("resourceVersion"));
    }

    private static void AssertUnchanged(JsonObject before, JsonObject after)
    {
        Assert.Equal(before.At("metadata").Str("resourceVersion"), after.At("metadata").Str("resourceVersion"));
        Assert.Empty(JsonDiff.Leaves(before["spec"], after["spec"], "spec"));
    }
}
