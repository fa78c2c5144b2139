using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform.ModelMesh;

/// <summary>
/// ModelMesh -> RawDeployment for one ISVC (docs/transform-modelmesh.md). Names never change: new-namespace
/// (default) recreates the model in another namespace and leaves the source serving until cleanup; in-place
/// replaces it in its namespace (delete, then create). One single-model runtime per ISVC, named after it.
/// </summary>
public sealed class ModelMeshTransformer : IModeTransformer
{
    private static readonly string[] OldFrameworks = ["sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "pmml", "lightgbm", "paddle", "huggingface"];

    public string Mode => DeploymentMode.ModelMesh;

    public TransformResult Transform(TransformContext context)
    {
        var item = context.Item;
        var options = context.Options;
        var strategy = options.Strategy ?? Strategies.NewNamespace;
        if (strategy == Strategies.SideBySide)
        {
            throw new TransformRefusedException("side-by-side is not possible for ModelMesh (a namespace serves either ModelMesh or single-model runtimes); use --strategy new-namespace or in-place");
        }

        var inPlace = strategy == Strategies.InPlace;
        if (!inPlace && string.IsNullOrEmpty(options.TargetNamespace))
        {
            // Only reached with no --strategy: an explicit new-namespace without a target is a usage error earlier.
            throw new TransformRefusedException("ModelMesh moves to a new namespace by default, and no --target-namespace was given; give one (for example <namespace>-raw) or use --strategy in-place");
        }

        var target = inPlace ? item.Namespace : options.TargetNamespace!;
        if (!inPlace && target == item.Namespace)
        {
            throw new TransformRefusedException($"--target-namespace {target} is the source namespace; use --strategy in-place");
        }

        var source = context.Runtime
            ?? throw new TransformRefusedException($"ServingRuntime '{item.Facts.Runtime ?? "(none)"}' was not exported; the runtime to migrate from is unknown");
        var warnings = new List<string>();
        var changes = new List<string>();
        CheckNames(context, inPlace, target, source);

        var inputs = ModelMeshInputs.Load(context);
        warnings.AddRange(inputs.Problems);
        var built = RuntimeBuilder.Build(source, item.Name, target, item.Namespace, RuntimeResolver.ModelFormat(context.Isvc).Name, options, inputs, warnings, changes);
        var runtime = built.Runtime;

        var isvc = context.Isvc.DeepCopy();
        ServerFields.StripForNewObject(isvc);
        isvc.Metadata()["namespace"] = target;
        var model = ModelSpec(isvc, changes);
        var storage = StorageRewriter.Rewrite(isvc, model, Lookup(options.StorageUris, item), Lookup(options.StoragePaths, item), warnings, changes);
        RewriteMetadata(isvc, item.Namespace, changes);
        model["runtime"] = runtime.Name();
        changes.Add(item.Facts.RuntimeResolvedBy == "spec"
            ? $"runtime {source.Name()} -> {runtime.Name()} (one single-model runtime per InferenceService)"
            : $"runtime resolved by model format ({item.Facts.RuntimeResolvedBy}: {source.Name()}); now named explicitly: {runtime.Name()}");

        CheckModelFormat(isvc, model, runtime, built, options.Opset1, warnings, changes);
        DropEmptyComponents(isvc, changes);
        StoragePlacement(context, isvc, runtime, built, storage, inPlace, warnings, changes);
        Sizing(source, isvc, model, warnings, changes);

        var auth = IsvcFactsReader.IsTrue(source.Annotation(ModelMeshKeys.EnableAuth));
        var exposed = IsvcFactsReader.IsTrue(source.Annotation(ModelMeshKeys.EnableRoute)) || options.Visibility == "exposed";
        var objects = new List<JsonObject>();
        if (!inPlace)
        {
            objects.Add(NamespacePlanner.TargetNamespace(target));
            objects.AddRange(NamespacePlanner.ReportAndCopy(context, target, warnings, changes));
        }

        objects.Add(runtime);
        objects.Add(isvc);
        AuthAndExposure(isvc, item, auth, exposed, target, objects, warnings, changes);

        var (copies, keyCopies) = inPlace ? ([], []) : SecretCopies(context, isvc, storage, target, warnings, changes);
        var (deletions, keep) = Cleanup(context, source, inPlace, target);
        changes.Add(inPlace
            ? "in-place: apply deletes the ModelMesh InferenceService and recreates it with the same name as RawDeployment (the KServe webhook refuses a deploymentMode change on update); if the new one fails, apply restores the original from its backup"
            : $"new-namespace: the model is recreated in {target}; the original keeps serving until cleanup, which deletes nothing in {item.Namespace} except this InferenceService");

        return new TransformResult
        {
            RawOriginalNames = objects,
            AppliesOriginalNames = true,
            Plan = new PlanItem
            {
                Strategy = strategy,
                TargetNamespace = target,
                TargetName = item.Name,
                DeleteBeforeCreate = inPlace,
                RequireNewTargetNamespace = !inPlace && !options.IgnoreExistingNamespace,
                LabelChanges = inPlace ? [NamespaceLabelFlip(context)] : [],
                DeleteOnCleanup = deletions,
                Keep = keep,
                SecretCopies = copies,
                SecretKeyCopies = keyCopies,
                Warnings = warnings,
                Changes = changes,
                Endpoint = new EndpointMapping(item.Facts.Url, target, item.Name, auth ? AuthObjects.TokenSecretName(item.Name) : null, exposed ? "exposed" : "internal"),
            },
        };
    }

    private static string? Lookup(IReadOnlyDictionary<string, string> map, TransformItem item) =>
        map.GetValueOrDefault($"{item.Namespace}/{item.Name}") ?? map.GetValueOrDefault(item.Name);

    private static void CheckNames(TransformContext context, bool inPlace, string target, JsonObject source)
    {
        var item = context.Item;
        var max = NameLimits.MaxIsvcName(item.Facts.HasTransformer, item.Facts.HasExplainer);
        if (item.Name.Length > max)
        {
            throw new TransformRefusedException($"InferenceService name '{item.Name}' ({item.Name.Length} characters) exceeds the {max}-character limit of a RawDeployment (63 minus the longest suffix KServe derives)");
        }

        var modelMeshInNamespace = context.Inventory.Items.Where(i => i.Namespace == item.Namespace && i.Mode == DeploymentMode.ModelMesh).ToList();
        if (inPlace)
        {
            var runtimeNames = modelMeshInNamespace.Select(i => i.Facts.Runtime).OfType<string>().Append(source.Name()).ToHashSet(StringComparer.Ordinal);
            if (runtimeNames.Contains(item.Name))
            {
                throw new TransformRefusedException($"in-place: the new runtime and auth objects are named after the InferenceService ({item.Name}, {item.Name}-sa, {item.Name}-view), which collides with the ModelMesh ServingRuntime {item.Name} and its auth objects in {item.Namespace}; use --strategy new-namespace");
            }

            var notSelected = modelMeshInNamespace.Where(i => !i.Selected).Select(i => i.Name).Order(StringComparer.Ordinal).ToList();
            if (notSelected.Count > 0)
            {
                throw new TransformRefusedException($"in-place flips the namespace label {ModelMeshKeys.ModelMeshEnabledLabel}, which stops ModelMesh serving every model in {item.Namespace}, but ModelMesh InferenceService(s) {string.Join(", ", notSelected)} are not selected; select them all or use --strategy new-namespace");
            }
        }
        else
        {
            var clash = context.Inventory.Items
                .Where(i => i.Selected && i.Mode == DeploymentMode.ModelMesh && i.Name == item.Name && i.Namespace != item.Namespace)
                .Select(i => i.Namespace)
                .Order(StringComparer.Ordinal)
                .ToList();
            if (clash.Count > 0)
            {
                throw new TransformRefusedException($"InferenceService {item.Name} is also selected in namespace(s) {string.Join(", ", clash)}; both would be created as {target}/{item.Name}; migrate the namespaces in separate runs with different --target-namespace");
            }
        }
    }

    /// <summary>The predictor's model spec; the old per-framework form (predictor.sklearn ...) is rewritten to it, since only model names a runtime.</summary>
    private static JsonObject ModelSpec(JsonObject isvc, List<string> changes)
    {
        var predictor = isvc.At("spec", "predictor") as JsonObject
            ?? throw new TransformRefusedException("spec.predictor is missing");
        if (predictor["model"] is JsonObject model)
        {
            return model;
        }

        var framework = OldFrameworks.FirstOrDefault(f => predictor[f] is JsonObject)
            ?? throw new TransformRefusedException("spec.predictor has neither model nor a known framework (sklearn, onnx, ...); a ModelMesh predictor without one cannot be migrated");
        var old = (JsonObject)predictor[framework]!;
        predictor.Remove(framework);
        var converted = new JsonObject { ["modelFormat"] = new JsonObject { ["name"] = framework } };
        foreach (var (key, value) in old.ToList())
        {
            converted[key] = value?.DeepClone();
        }

        predictor["model"] = converted;
        changes.Add($"spec.predictor.{framework} rewritten to spec.predictor.model (modelFormat {framework}) so the runtime can be named");
        return converted;
    }

    private static void RewriteMetadata(JsonObject isvc, string sourceNamespace, List<string> changes)
    {
        isvc.SetAnnotation(DeploymentMode.AnnotationKey, DeploymentMode.RawDeployment);
        foreach (var key in ModelMeshKeys.KnativeCreatorAnnotations.Where(k => isvc.Annotation(k) is not null))
        {
            isvc.RemoveAnnotation(key);
            changes.Add($"removed annotation {key}");
        }

        if (isvc.Label(ModelMeshKeys.ModelMeshEnabledLabel) is not null)
        {
            isvc.RemoveLabel(ModelMeshKeys.ModelMeshEnabledLabel);
            changes.Add($"removed label {ModelMeshKeys.ModelMeshEnabledLabel}");
        }

        isvc.SetAnnotation(ModelMeshKeys.MigrationSource, "modelmesh");
        isvc.SetAnnotation(ModelMeshKeys.MigrationOriginalNamespace, sourceNamespace);
        changes.Add($"{DeploymentMode.AnnotationKey}: ModelMesh -> RawDeployment");
    }

    private static void CheckModelFormat(JsonObject isvc, JsonObject model, JsonObject runtime, BuiltRuntime built, string opset1, List<string> warnings, List<string> changes)
    {
        var format = model.At("modelFormat").Str("name")
            ?? throw new TransformRefusedException("spec.predictor.model.modelFormat.name is missing");
        var version = model.At("modelFormat").Scalar("version");
        if (format == "openvino_ir" && version == "opset1")
        {
            switch (opset1)
            {
                case "skip":
                    throw new TransformRefusedException("OpenVINO opset1 model skipped (--opset1 skip); the other models go on");
                case "upgrade":
                    model.Obj("modelFormat")["version"] = "opset13";
                    warnings.Add("--opset1 upgrade: modelFormat.version set to opset13; the model files must be converted to a newer opset by hand before apply");
                    changes.Add("modelFormat openvino_ir opset1 -> opset13 (--opset1 upgrade)");
                    version = "opset13";
                    break;
                default:
                    if (!RuntimeResolver.Supports(runtime, format, version))
                    {
                        var formats = runtime.Obj("spec")["supportedModelFormats"] as JsonArray ?? [];
                        runtime.Obj("spec")["supportedModelFormats"] = formats;
                        formats.Add((JsonNode)new JsonObject { ["name"] = "openvino_ir", ["version"] = "opset1", ["autoSelect"] = true });
                        runtime.SetAnnotation(ModelMeshKeys.Opset1Compatibility, "enabled");
                        changes.Add("runtime: supportedModelFormats += openvino_ir opset1 (--opset1 compat)");
                    }

                    break;
            }
        }

        if (!RuntimeResolver.Supports(runtime, format, version))
        {
            throw new TransformRefusedException($"the single-model runtime built {(built.Template is null ? "from the ModelMesh runtime" : $"from Template {built.Template}")} does not support model format {format}{(version is null ? "" : $" version {version}")}; give --runtime-template <runtime>=<template> with a runtime that does");
        }

        if (model.Str("protocolVersion") is { } protocol && runtime.At("spec", "protocolVersions") is JsonArray protocols && !protocols.Any(p => p?.GetValue<string>() == protocol))
        {
            model.Remove("protocolVersion");
            warnings.Add($"protocolVersion {protocol} is not offered by the new runtime ({string.Join(", ", protocols.Select(p => p?.GetValue<string>()))}); removed, clients must use the runtime's protocol");
        }

        _ = isvc;
    }

    /// <summary>ModelMesh ignored transformer/explainer stanzas without an implementation; RawDeployment would try to deploy them.</summary>
    private static void DropEmptyComponents(JsonObject isvc, List<string> changes)
    {
        var spec = isvc.Obj("spec");
        foreach (var component in new[] { "transformer", "explainer" })
        {
            if (spec[component] is JsonObject obj && !(obj["containers"] is JsonArray { Count: > 0 } || obj["art"] is JsonObject || obj["alibi"] is JsonObject))
            {
                spec.Remove(component);
                changes.Add($"removed spec.{component}: it has no containers (ModelMesh ignored it; RawDeployment would try to deploy it)");
            }
            else if (spec[component] is JsonObject)
            {
                changes.Add($"spec.{component} kept: it now calls the RawDeployment predictor; check any predictor host it was given");
            }
        }
    }

    /// <summary>
    /// What an in-place replacement will meet on its model's claim, from export's namespace facts: a claim that
    /// does not exist, a ReadWriteOnce claim the old pods still mount (Multi-Attach), or nothing to fear.
    /// </summary>
    public static string InPlaceClaimWarning(string claim, string ns, IReadOnlyList<JsonObject>? pvcs)
    {
        if (pvcs is null)
        {
            return $"claim {claim}: access modes not known (the workspace has no {ModelMeshInputs.PvcsFile} for {ns}; run export again); if it is ReadWriteOnce, the old ModelMesh pods keep it mounted and the new pod fails with Multi-Attach until they are gone";
        }

        if (pvcs.FirstOrDefault(p => p.Name() == claim) is not { } pvc)
        {
            return $"claim {claim} does not exist in namespace {ns}: the new pod cannot mount the model until the claim is created with the model files";
        }

        var modes = NamespacePlanner.AccessModes(pvc);
        if (!modes.Contains("ReadWriteOnce", StringComparison.Ordinal))
        {
            return $"claim {claim} ({modes}) can be mounted by the old and the new pods";
        }

        return pvc.Annotation(NamespaceFactsFiles.MountedByAnnotation) switch
        {
            null => $"claim {claim} is ReadWriteOnce; which pods mount it is not known (export could not list pods): if the ModelMesh pods do, the new pod cannot start (Multi-Attach) until they stop; scale the ModelMesh runtime to 0 first",
            "" => $"claim {claim} is ReadWriteOnce and no pod mounted it when export ran: the new pod can mount it",
            var pods => $"claim {claim} is ReadWriteOnce and mounted by {pods.Replace(",", ", ", StringComparison.Ordinal)}: the new pod cannot start (Multi-Attach) until they stop; scale the ModelMesh runtime to 0 first",
        };
    }

    private static void StoragePlacement(TransformContext context, JsonObject isvc, JsonObject runtime, BuiltRuntime built, StorageOutcome storage, bool inPlace, List<string> warnings, List<string> changes)
    {
        if (storage.PvcClaim is { } claim)
        {
            if (built.IsOvms)
            {
                RuntimeBuilder.AddOvmsPvcReadiness(runtime, changes);
                warnings.Add($"PVC-backed OVMS model: OVMS reads versioned directories (<path>/1/...); the files on claim {claim} must be laid out that way (auto-versioning only works through the storage initializer, not for PVCs)");
            }

            if (inPlace)
            {
                warnings.Add(InPlaceClaimWarning(claim, context.Item.Namespace, ModelMeshInputs.NamespaceFacts(context.Layout, context.Item.Namespace, ModelMeshInputs.PvcsFile)));
            }
            else
            {
                warnings.Add($"claim {claim} lives in {context.Item.Namespace}: PersistentVolumeClaims are namespaced and their contents cannot be copied by this tool; create {claim} in {context.Options.TargetNamespace} with the model files before apply, or give --storage-uri {context.Item.Name}=<uri>");
            }

            return;
        }

        if (built.IsOvms && storage.LocationKept && context.Options.OvmsAutoVersioning)
        {
            isvc.SetAnnotation(ModelMeshKeys.OvmsAutoVersioning, "1");
            changes.Add($"{ModelMeshKeys.OvmsAutoVersioning}: \"1\" (storage kept: the storage initializer lays the files out in version directory 1, no change in storage needed)");
        }
        else if (built.IsOvms && storage.LocationKept)
        {
            warnings.Add($"--no-ovms-auto-versioning: storage kept without {ModelMeshKeys.OvmsAutoVersioning}; OVMS needs the model in the versioned layout (<path>/1/...)");
        }
    }

    private static void Sizing(JsonObject source, JsonObject isvc, JsonObject model, List<string> warnings, List<string> changes)
    {
        if (model["resources"] is not JsonObject { Count: > 0 })
        {
            var old = RuntimeBuilder.FirstContainer(source)?["resources"] as JsonObject;
            if (old is not null && HasNonZeroQuantity(old))
            {
                model["resources"] = old.DeepClone();
                changes.Add($"resources carried over from the ModelMesh runtime container: {Manifest.Canonical(old)}");
            }
            else
            {
                model["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["cpu"] = ModelMeshKeys.DefaultCpuRequest, ["memory"] = ModelMeshKeys.DefaultMemoryRequest },
                    ["limits"] = new JsonObject { ["cpu"] = ModelMeshKeys.DefaultCpuLimit, ["memory"] = ModelMeshKeys.DefaultMemoryLimit },
                };
                warnings.Add($"no resources set on the InferenceService or the ModelMesh runtime: default requests cpu {ModelMeshKeys.DefaultCpuRequest}/memory {ModelMeshKeys.DefaultMemoryRequest}, limits cpu {ModelMeshKeys.DefaultCpuLimit}/memory {ModelMeshKeys.DefaultMemoryLimit}");
            }
        }

        var predictor = isvc.Obj("spec").Obj("predictor");
        if (source.At("spec", "replicas") is JsonValue replicas && replicas.GetValueKind() == JsonValueKind.Number && predictor["minReplicas"] is null && predictor["maxReplicas"] is null)
        {
            predictor["minReplicas"] = replicas.DeepClone();
            predictor["maxReplicas"] = replicas.DeepClone();
            changes.Add($"minReplicas/maxReplicas {replicas.ToJsonString()} from the ModelMesh runtime's replicas");
        }
    }

    private static bool HasNonZeroQuantity(JsonObject resources) =>
        resources.Select(p => p.Value).OfType<JsonObject>().SelectMany(q => q.Select(p => p.Value))
            .Any(v => v is JsonValue value && !IsZero(value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()));

    /// <summary>The dashboard's ModelMesh template writes cpu '0' / memory 0Gi meaning "not set".</summary>
    private static bool IsZero(string quantity)
    {
        var numeric = new string(quantity.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').ToArray());
        return numeric.Length > 0 && double.TryParse(numeric, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value == 0;
    }

    private static void AuthAndExposure(JsonObject isvc, TransformItem item, bool auth, bool exposed, string target, List<JsonObject> objects, List<string> warnings, List<string> changes)
    {
        if (exposed)
        {
            isvc.SetLabel(IsvcFactsReader.KServeVisibilityKey, "exposed");
            changes.Add($"{IsvcFactsReader.KServeVisibilityKey}: exposed (the ModelMesh runtime had {ModelMeshKeys.EnableRoute}: \"true\" or --visibility exposed)");
        }
        else
        {
            changes.Add("internal: the ModelMesh runtime had no route enabled (no visibility label)");
        }

        if (!auth)
        {
            return;
        }

        isvc.SetAnnotation(IsvcFactsReader.AuthKey, "true");
        var predictor = isvc.Obj("spec").Obj("predictor");
        if (predictor.Str("serviceAccountName") is { } existing)
        {
            warnings.Add($"spec.predictor.serviceAccountName {existing} kept (it may carry storage credentials); the token ServiceAccount {AuthObjects.ServiceAccountName(item.Name)} is created beside it");
        }
        else
        {
            predictor["serviceAccountName"] = AuthObjects.ServiceAccountName(item.Name);
        }

        objects.AddRange(AuthObjects.Create(item.Name, target, item.Namespace));
        changes.Add($"token auth (the ModelMesh runtime had {ModelMeshKeys.EnableAuth}: \"true\"): {IsvcFactsReader.AuthKey}: \"true\", ServiceAccount {item.Name}-sa, Role {item.Name}-view-role, RoleBinding {item.Name}-view, token Secret {AuthObjects.TokenSecretName(item.Name)} (a new token is issued; clients must update theirs)");
    }

    private static (List<ObjectRef>, List<SecretKeyCopy>) SecretCopies(TransformContext context, JsonObject isvc, StorageOutcome storage, string target, List<string> warnings, List<string> changes)
    {
        var source = context.Item.Namespace;
        var saved = context.All(ExportRoles.StorageSecret).Select(s => s.Object).ToList();
        var copies = new List<ObjectRef>();
        var keyCopies = new List<SecretKeyCopy>();
        if (storage.StorageConfigKey is { } key)
        {
            var connection = saved.FirstOrDefault(s => s.Name() == key);
            var storageConfig = saved.FirstOrDefault(s => s.Name() == ModelMeshKeys.StorageConfigSecret);
            if (connection is not null)
            {
                copies.Add(new ObjectRef("Secret", "v1", key, source));
            }

            if (connection is not null && connection.Label(ModelMeshKeys.ManagedLabel) == "true" && connection.Label(ModelMeshKeys.DashboardLabel) == "true")
            {
                changes.Add($"data connection {key} copied to {target}; odh-model-controller generates {ModelMeshKeys.StorageConfigSecret}[{key}] there from it (managed connection)");
            }
            else if (storageConfig is null)
            {
                warnings.Add($"storage.key {key}: Secret {ModelMeshKeys.StorageConfigSecret} was not found in {source} at export; the key will not resolve in {target} until {ModelMeshKeys.StorageConfigSecret} holds it");
            }
            else
            {
                keyCopies.Add(new SecretKeyCopy(ModelMeshKeys.StorageConfigSecret, source, target, [key], $"storage.key {key} is not backed by a managed data connection; only this entry of {ModelMeshKeys.StorageConfigSecret} is copied"));
                changes.Add($"entry {key} of {ModelMeshKeys.StorageConfigSecret} copied server-side to {target}");
                if (storageConfig.Label(ModelMeshKeys.ManagedLabel) == "true")
                {
                    warnings.Add($"{ModelMeshKeys.StorageConfigSecret} in {source} is labelled {ModelMeshKeys.ManagedLabel}=true: odh-model-controller may regenerate it in {target} from managed connections only and drop entry {key}");
                }
            }
        }

        foreach (var pull in (isvc.At("spec", "predictor", "imagePullSecrets") as JsonArray ?? []).Select(p => p.Str("name")).OfType<string>())
        {
            if (saved.Any(s => s.Name() == pull))
            {
                copies.Add(new ObjectRef("Secret", "v1", pull, source));
                changes.Add($"image pull Secret {pull} copied server-side to {target}");
            }
            else
            {
                warnings.Add($"image pull Secret {pull} was not exported; create it in {target} before apply");
            }
        }

        return (copies.DistinctBy(c => c.Name).ToList(), keyCopies);
    }

    private static (List<PlannedDeletion>, List<PlannedKeep>) Cleanup(TransformContext context, JsonObject source, bool inPlace, string target)
    {
        var ns = context.Item.Namespace;
        var isvc = context.Find(ExportRoles.Isvc)!;
        var deletions = new List<PlannedDeletion>
        {
            new(isvc.Object.Kind()!, isvc.Object.ApiVersion()!, isvc.Object.Name(), ns, inPlace ? "ModelMesh InferenceService replaced in place" : $"ModelMesh InferenceService, recreated as RawDeployment in {target}", isvc.Path),
        };
        var keep = new List<PlannedKeep>();
        var runtimeFile = context.Find(ExportRoles.Runtime);
        var perRuntime = context.Originals.Where(o => o.Role is ExportRoles.ServiceAccount or ExportRoles.Role or ExportRoles.RoleBinding or ExportRoles.TokenSecret).ToList();
        if (inPlace)
        {
            deletions.Add(new(source.Kind()!, source.ApiVersion()!, source.Name(), ns, "ModelMesh ServingRuntime, replaced by a single-model runtime per InferenceService", runtimeFile?.Path));
            deletions.AddRange(perRuntime.Select(o => new PlannedDeletion(o.Object.Kind()!, o.Object.ApiVersion()!, o.Object.Name(), ns, $"token auth object of ModelMesh runtime {source.Name()}", o.Path) { OnlyWithRuntime = source.Name() }));
        }
        else
        {
            keep.Add(new PlannedKeep("ServingRuntime", source.Name(), ns, "new-namespace: nothing in the source namespace is deleted except the migrated InferenceServices"));
            keep.AddRange(perRuntime.Select(o => new PlannedKeep(o.Object.Kind()!, o.Object.Name(), ns, "new-namespace: belongs to the source runtime, left in place")));
        }

        keep.AddRange(context.All(ExportRoles.StorageSecret).Select(o => new PlannedKeep("Secret", o.Object.Name(), ns, "storage connection, may be used by other workloads")));
        return (deletions, keep);
    }

    private static LabelChange NamespaceLabelFlip(TransformContext context)
    {
        var ns = context.Item.Namespace;
        var current = ModelMeshInputs.NamespaceObject(context.Layout, ns)?.Label(ModelMeshKeys.ModelMeshEnabledLabel);
        var all = context.Inventory.Items.Where(i => i.Namespace == ns && i.Mode == DeploymentMode.ModelMesh).Select(i => i.Name).Order(StringComparer.Ordinal);
        return new LabelChange("Namespace", "v1", ns, null, ModelMeshKeys.ModelMeshEnabledLabel, current, "false",
            $"ModelMesh stops serving {ns} once the label is false: flip it only after every ModelMesh InferenceService of the namespace ({string.Join(", ", all)}) is replaced; restore it on rollback");
    }
}
