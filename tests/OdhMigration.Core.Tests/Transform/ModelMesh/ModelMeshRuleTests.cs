using System.Text.Json.Nodes;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Transform.ModelMesh;

namespace OdhMigration.Core.Tests.Transform.ModelMesh;

/// <summary>Rules that golden files show but that deserve a direct, readable assertion.</summary>
public sealed class ModelMeshRuleTests
{
    [Fact]
    public async Task Shared_runtime_namespace_transforms_in_one_run_without_prompt()
    {
        using var run = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        var (outcome, plan) = await run.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(4, plan.Items.Count(i => i.Status == "ok"));
        var pvc = Manifest(run, plan.Items.Single(i => i.Name == "fraud-pvc"), "InferenceService");
        Assert.Equal("pvc://models-pvc/fraud/onnx", pvc.At("spec", "predictor", "model").Str("storageUri"));
        var auto = Manifest(run, plan.Items.Single(i => i.Name == "fraud-auto"), "InferenceService");
        Assert.Equal("fraud-auto", auto.At("spec", "predictor", "model").Str("runtime"));
        Assert.Equal("1", auto.Annotation(ModelMeshKeys.OvmsAutoVersioning));
        Assert.All(plan.Items, i => Assert.Equal("exposed", i.Endpoint!.Visibility));
        Assert.All(plan.Items, i => Assert.Contains(i.Create, c => c.Kind == "Secret" && c.Name == $"token-{i.Name}-sa"));
        Assert.All(plan.Items, i => Assert.Equal(["InferenceService"], i.DeleteOnCleanup.Select(d => d.Kind)));
    }

    [Fact]
    public async Task Without_a_strategy_or_target_namespace_each_item_is_refused_saying_what_to_give()
    {
        using var run = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        ((JsonObject)run.Case["transform"]!).Remove("targetNamespace");
        var (outcome, plan) = await run.RunAsync(TestContext.Current.CancellationToken);
        Assert.NotEqual(ExitCodes.Success, outcome.ExitCode);
        Assert.NotEmpty(plan.Items);
        Assert.All(plan.Items, i => Assert.NotEqual("ok", i.Status));
        Assert.All(plan.Items, i => Assert.Contains("--target-namespace", i.Error, StringComparison.Ordinal));
        Assert.All(plan.Items, i => Assert.Contains("--strategy in-place", i.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task What_the_user_set_on_the_old_runtime_follows_through_the_template_and_unused_connections_are_named()
    {
        using var run = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        var (_, plan) = await run.RunAsync(TestContext.Current.CancellationToken);
        var item = plan.Items.First(i => i.Status == "ok");
        var runtime = Manifest(run, item, "ServingRuntime");
        Assert.Contains(item.Changes, c => c.Contains("built from Template", StringComparison.Ordinal));
        Assert.Equal(["quay-pull"], (runtime.At("spec", "imagePullSecrets") as JsonArray ?? []).Select(p => p.Str("name")));
        var env = (runtime.At("spec", "containers")![0]!["env"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(e => e.Str("name")!, e => e.Str("value"));
        Assert.Equal("DEBUG", env["OVMS_LOG_LEVEL"]);
        Assert.Contains(item.Warnings, w => w.Contains("data connection(s) no migrated model uses", StringComparison.Ordinal) && w.Contains("aws-connection-archive", StringComparison.Ordinal));
        Assert.DoesNotContain(item.Warnings, w => w.Contains("aws-connection-minio", StringComparison.Ordinal) && w.Contains("no migrated model uses", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opset1_skip_refuses_only_that_model()
    {
        using var run = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        run.Case["transform"]!["opset1"] = "skip";
        var (outcome, plan) = await run.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ExitCodes.PartialFailure, outcome.ExitCode);
        var refused = Assert.Single(plan.Items, i => i.Status != "ok");
        Assert.Equal("legacy-ir", refused.Name);
        Assert.Contains("--opset1 skip", refused.Error, StringComparison.Ordinal);
        Assert.Equal(3, plan.Items.Count(i => i.Status == "ok"));
    }

    [Fact]
    public async Task An_explicit_runtime_template_wins_over_the_one_the_model_server_maps_to()
    {
        // Without --runtime-template the OVMS model server maps to kserve-ovms (see the other cases); a second
        // dashboard Template with its own image must be the one used when it is named explicitly.
        using var run = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        var custom = run.SnapshotObject("Template", "kserve-ovms");
        custom.Metadata()["name"] = "ovms-gpu-custom";
        ((JsonObject)custom["objects"]![0]!).Metadata()["name"] = "ovms-gpu-custom";
        custom["parameters"]![0]!["value"] = "registry.example.com/ovms-gpu@sha256:00000000000000000000000000000000000000000000000000000000000000ff";
        run.ExtraObjects.Add(custom);
        run.Case["transform"]!["runtimeTemplates"] = new JsonObject { ["fraud-mm/model-server"] = "ovms-gpu-custom" };

        var (outcome, plan) = await run.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        var item = plan.Items.First(i => i.Status == "ok");
        Assert.Contains(item.Changes, c => c.Contains("built from Template", StringComparison.Ordinal) && c.Contains("ovms-gpu-custom", StringComparison.Ordinal));
        var runtime = Manifest(run, item, "ServingRuntime");
        Assert.Equal("ovms-gpu-custom", runtime.Annotation("opendatahub.io/template-name"));
        Assert.StartsWith("registry.example.com/ovms-gpu@", runtime.At("spec", "containers")![0]!.Str("image"), StringComparison.Ordinal);

        using var implicitRun = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        implicitRun.ExtraObjects.Add(custom);
        var (_, implicitPlan) = await implicitRun.RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal("kserve-ovms", Manifest(implicitRun, implicitPlan.Items.First(i => i.Status == "ok"), "ServingRuntime").Annotation("opendatahub.io/template-name"));
    }

    [Fact]
    public async Task Ignore_existing_ns_lets_apply_use_a_target_namespace_that_exists()
    {
        using var strict = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        var (_, strictPlan) = await strict.RunAsync(TestContext.Current.CancellationToken);
        Assert.All(strictPlan.Items.Where(i => i.Status == "ok"), i => Assert.True(i.RequireNewTargetNamespace));

        using var lenient = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        lenient.Case["transform"]!["ignoreExistingNamespace"] = true;
        var (_, lenientPlan) = await lenient.RunAsync(TestContext.Current.CancellationToken);
        Assert.All(lenientPlan.Items.Where(i => i.Status == "ok"), i => Assert.False(i.RequireNewTargetNamespace));
        Assert.True(lenientPlan.Options.IgnoreExistingNamespace);
    }

    [Fact]
    public async Task Template_namespace_decides_where_the_dashboard_templates_are_read_from()
    {
        using var found = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        found.Case["export"] = new JsonObject { ["templateNamespace"] = "opendatahub" };
        found.Case["transform"]!["templateNamespace"] = "opendatahub";
        var (_, withTemplates) = await found.RunAsync(TestContext.Current.CancellationToken);
        Assert.Contains(withTemplates.Items.First(i => i.Status == "ok").Changes, c => c.Contains("built from Template opendatahub/kserve-ovms", StringComparison.Ordinal));

        using var elsewhere = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        elsewhere.Case["export"] = new JsonObject { ["templateNamespace"] = "redhat-ods-applications" };
        elsewhere.Case["transform"]!["templateNamespace"] = "redhat-ods-applications";
        var (_, withoutTemplates) = await elsewhere.RunAsync(TestContext.Current.CancellationToken);
        var item = withoutTemplates.Items.First(i => i.Status == "ok");
        Assert.DoesNotContain(item.Changes, c => c.Contains("built from Template", StringComparison.Ordinal));
        Assert.Contains(item.Warnings, w => w.Contains("kserve-ovms", StringComparison.Ordinal) && w.Contains("redhat-ods-applications", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opset1_upgrade_bumps_the_model_version()
    {
        using var run = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        run.Case["transform"]!["opset1"] = "upgrade";
        var (_, plan) = await run.RunAsync(TestContext.Current.CancellationToken);
        var isvc = Manifest(run, plan.Items.Single(i => i.Name == "legacy-ir"), "InferenceService");
        Assert.Equal("opset13", isvc.At("spec", "predictor", "model", "modelFormat").Str("version"));
    }

    [Fact]
    public async Task Copy_permissions_without_recorded_rolebindings_is_refused_and_with_them_recreates_user_bindings()
    {
        using var run = new ModelMeshCaseRunner("shared-runtime-new-namespace");
        run.Case["transform"]!["copyPermissions"] = true;
        var factsFile = Path.Combine(run.Layout.NamespaceFacts("fraud-mm"), ModelMeshInputs.RoleBindingsFile);
        var (_, refused) = await run.RunAsync(() => File.Delete(factsFile), TestContext.Current.CancellationToken);
        Assert.All(refused.Items, i => Assert.Contains("--copy-permissions", i.Error, StringComparison.Ordinal));

        var (_, nothingToCopy) = await run.RunAsync(TestContext.Current.CancellationToken);
        Assert.All(nothingToCopy.Items, i => Assert.Equal("ok", i.Status));
        Assert.DoesNotContain(nothingToCopy.Items.SelectMany(i => i.Create), c => c.Kind == "RoleBinding" && c.Name == "dashboard-permissions-alice");

        void WriteFacts()
        {
            run.WriteNamespaceFacts("fraud-mm", ModelMeshInputs.RoleBindingsFile, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: dashboard-permissions-alice, namespace: fraud-mm, labels: {opendatahub.io/dashboard: "true", opendatahub.io/project-sharing: "true"}}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: model-server-view, namespace: fraud-mm, labels: {opendatahub.io/dashboard: "true"}}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects: [{kind: ServiceAccount, name: model-server-sa}]
                """);
            run.WriteNamespaceFacts("fraud-mm", ModelMeshInputs.PvcsFile, """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: models-pvc, namespace: fraud-mm}
                spec: {accessModes: [ReadWriteOnce]}
                """);
        }

        var (_, plan) = await run.RunAsync(WriteFacts, TestContext.Current.CancellationToken);
        var item = plan.Items.Single(i => i.Name == "fraud-s3");
        Assert.Equal("ok", item.Status);
        var binding = Assert.Single(item.Create, c => c.Kind == "RoleBinding" && c.Name == "dashboard-permissions-alice");
        Assert.Equal("fraud-raw", binding.Namespace);
        Assert.DoesNotContain(item.Create, c => c.Name == "model-server-view");
        Assert.Contains(item.Warnings, w => w.Contains("models-pvc (ReadWriteOnce)", StringComparison.Ordinal));
        Assert.DoesNotContain(item.Warnings, w => w.Contains("PersistentVolumeClaims not known", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_place_refuses_when_another_modelmesh_model_of_the_namespace_is_not_selected()
    {
        using var run = new ModelMeshCaseRunner("shared-runtime-in-place");
        var (_, full) = await run.RunAsync(TestContext.Current.CancellationToken);
        Assert.All(full.Items, i => Assert.Equal("ok", i.Status));
        Assert.All(full.Items, i => Assert.True(i.DeleteBeforeCreate));
        Assert.Contains(full.Items[0].DeleteOnCleanup, d => d.Kind == "ServiceAccount" && d.OnlyWithRuntime == "model-server");

        using var partial = new ModelMeshCaseRunner("shared-runtime-in-place");
        partial.Case["discover"]!["select"] = new JsonArray("fraud-s3");
        var (_, plan) = await partial.RunAsync(TestContext.Current.CancellationToken);
        var item = Assert.Single(plan.Items);
        Assert.Equal("failed", item.Status);
        Assert.Contains("fraud-auto, fraud-pvc, legacy-ir are not selected", item.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_parameters_are_substituted_and_generated_ones_refused()
    {
        var template = (JsonObject)Yaml.ParseSingle("""
            apiVersion: template.openshift.io/v1
            kind: Template
            metadata: {name: t}
            objects:
              - apiVersion: serving.kserve.io/v1alpha1
                kind: ServingRuntime
                metadata: {name: "${NAME}-rt"}
                spec: {replicas: "${{REPLICAS}}", containers: [{name: c, image: "${IMAGE}", args: ["${UNDEFINED}"]}]}
            parameters:
              - {name: NAME, value: ovms}
              - {name: REPLICAS, value: "3"}
              - {name: IMAGE, value: "quay.io/x:1"}
            """, "t")!;
        var runtime = Assert.Single(TemplateProcessor.Process(template));
        Assert.Equal("ovms-rt", runtime.Name());
        Assert.Equal(3, runtime.At("spec", "replicas")!.GetValue<int>());
        Assert.Equal("quay.io/x:1", runtime.At("spec", "containers")![0].Str("image"));
        Assert.Equal("${UNDEFINED}", runtime.At("spec", "containers")![0]!["args"]![0]!.GetValue<string>());

        template["parameters"]!.AsArray().Add((JsonNode)new JsonObject { ["name"] = "PASSWORD", ["generate"] = "expression", ["from"] = "[a-z]{8}" });
        var ex = Assert.Throws<TemplateException>(() => TemplateProcessor.Process(template));
        Assert.Contains("PASSWORD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_checks_reject_fields_the_api_server_would_prune()
    {
        var isvc = (JsonObject)Yaml.ParseSingle("""
            apiVersion: serving.kserve.io/v1beta1
            kind: InferenceService
            metadata: {name: m, namespace: n}
            spec: {predictor: {model: {modelFormat: {name: onnx}, storageUri: "pvc://c/p"}}}
            """, "t")!;
        Assert.Empty(Schema.CrdSchemaValidator.Validate("kserve/odh-stable-2.x", isvc));
        isvc["spec"]!["predictor"]!["model"]!["storageUrl"] = "typo";
        Assert.NotEmpty(Schema.CrdSchemaValidator.Validate("kserve/odh-stable-2.x", isvc));
    }

    private static JsonObject Manifest(ModelMeshCaseRunner run, OdhMigration.Core.Workspace.Documents.PlanItem item, string kind) =>
        (JsonObject)Yaml.ParseSingle(File.ReadAllText(run.Layout.Absolute(item.Files.Single(f => f.Kind == kind).Path)), kind)!;
}
