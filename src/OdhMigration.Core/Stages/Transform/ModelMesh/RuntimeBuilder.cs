using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Core.Stages.Transform.ModelMesh;

/// <summary>The single-model runtime built for one ISVC, and how it was built.</summary>
public sealed record BuiltRuntime(JsonObject Runtime, string? Template, bool IsOvms);

/// <summary>
/// Builds the single-model ServingRuntime that replaces a ModelMesh runtime: from the dashboard Template when
/// there is a usable one (ovms -> kserve-ovms, or --runtime-template), else by converting the ModelMesh runtime
/// itself. What the user configured on the old runtime that still means something is carried over.
/// </summary>
public static partial class RuntimeBuilder
{
    /// <summary>Fields only ModelMesh reads; a single-model runtime must not carry them.</summary>
    private static readonly string[] ModelMeshOnlySpecFields = ["builtInAdapter", "grpcEndpoint", "grpcDataEndpoint", "httpDataEndpoint", "storageHelper", "replicas"];

    public static BuiltRuntime Build(JsonObject source, string name, string targetNamespace, string sourceNamespace, string? modelFormat, TransformOptions options, ModelMeshInputs inputs, List<string> warnings, List<string> changes)
    {
        var explicitTemplate = options.RuntimeTemplates.GetValueOrDefault($"{sourceNamespace}/{source.Name()}") ?? options.RuntimeTemplates.GetValueOrDefault(source.Name());
        var templateName = explicitTemplate ?? (source.Annotation(ModelMeshKeys.TemplateName) == ModelMeshKeys.ModelMeshOvmsTemplate ? ModelMeshKeys.KServeOvmsTemplate : null);

        JsonObject? runtime = null;
        string? usedTemplate = null;
        if (templateName is not null)
        {
            try
            {
                runtime = FromTemplate(templateName, inputs);
                usedTemplate = templateName;
                changes.Add($"ServingRuntime {name} built from Template {inputs.TemplateNamespace}/{templateName} (parameter defaults substituted)");
            }
            catch (TemplateException ex)
            {
                if (explicitTemplate is not null)
                {
                    throw new TransformRefusedException($"--runtime-template {source.Name()}={explicitTemplate}: {ex.Message}");
                }

                warnings.Add($"{ex.Message}; converting the ModelMesh runtime {source.Name()} itself instead");
            }
        }
        else
        {
            changes.Add($"ModelMesh runtime {source.Name()} has no dashboard template mapping (template-name '{source.Annotation(ModelMeshKeys.TemplateName) ?? "none"}'); converted the runtime itself (give --runtime-template {source.Name()}=<template> to use a Template)");
        }

        var isOvms = usedTemplate == ModelMeshKeys.KServeOvmsTemplate || IsOvms(source);
        runtime ??= Convert(source, isOvms, modelFormat, changes);

        ServerFields.StripForNewObject(runtime);
        runtime.Metadata()["name"] = name;
        runtime.Metadata()["namespace"] = targetNamespace;
        runtime.Metadata().Remove("labels");
        runtime.SetLabel(ModelMeshKeys.DashboardLabel, "true");
        DecorateAnnotations(runtime, source, usedTemplate, inputs, sourceNamespace);
        if (usedTemplate is not null)
        {
            CarryOver(source, runtime, changes);
        }

        return new BuiltRuntime(runtime, usedTemplate, isOvms);
    }

    public static bool IsOvms(JsonObject runtime) =>
        runtime.At("spec", "builtInAdapter").Str("serverType") == "ovms"
        || FirstContainer(runtime)?.Str("image")?.Contains("openvino", StringComparison.OrdinalIgnoreCase) == true;

    public static JsonObject? FirstContainer(JsonObject runtime) =>
        runtime.At("spec", "containers") is JsonArray containers ? containers.OfType<JsonObject>().FirstOrDefault() : null;

    private static JsonObject FromTemplate(string templateName, ModelMeshInputs inputs)
    {
        var template = inputs.Template(templateName)
            ?? throw new TemplateException($"Template {templateName} is not among the Templates export saved{(inputs.TemplateNamespace is null ? "" : $" from {inputs.TemplateNamespace}")}");
        var runtime = TemplateProcessor.Process(template).FirstOrDefault(o => o.Kind() == "ServingRuntime")
            ?? throw new TemplateException($"Template {templateName} holds no ServingRuntime");
        if (runtime.At("spec", "multiModel")?.GetValueKind() == JsonValueKind.True)
        {
            throw new TemplateException($"Template {templateName} is a multi-model (ModelMesh) runtime");
        }

        foreach (var container in runtime.At("spec", "containers") as JsonArray ?? [])
        {
            if (container.Str("image") is { } image && UnresolvedPlaceholder().IsMatch(image))
            {
                throw new TemplateException($"Template {templateName}: image '{image}' is an unresolved placeholder");
            }
        }

        return runtime;
    }

    private static JsonObject Convert(JsonObject source, bool isOvms, string? modelFormat, List<string> changes)
    {
        var runtime = source.DeepCopy();
        var spec = runtime.Obj("spec");
        if (FirstContainer(runtime) is not { } container)
        {
            throw new TransformRefusedException($"ModelMesh ServingRuntime {source.Name()} has no containers to convert (spec.containers is empty) and no usable Template; give --runtime-template {source.Name()}=<template>");
        }

        spec["multiModel"] = false;
        foreach (var field in ModelMeshOnlySpecFields.Where(f => spec[f] is not null))
        {
            spec.Remove(field);
            changes.Add($"runtime: removed ModelMesh-only spec.{field}");
        }

        var oldName = container.Str("name");
        container["name"] = "kserve-container";
        changes.Add($"runtime: container '{oldName}' renamed kserve-container");
        container.Remove("resources"); // carried to the ISVC (spec.predictor.model.resources), one place for sizing

        var args = container["args"] as JsonArray ?? [];
        var kept = new JsonArray();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i]?.GetValue<string>() ?? "";
            if (arg.StartsWith("--config_path", StringComparison.Ordinal))
            {
                changes.Add($"runtime: removed multi-model argument {arg}");
                if (arg == "--config_path")
                {
                    i++;
                }

                continue;
            }

            if (isOvms && BindAddress().IsMatch(arg))
            {
                var rebound = BindAddress().Replace(arg, "$1=0.0.0.0");
                changes.Add($"runtime: {arg} -> {rebound} (a single-model server is called directly, not through the ModelMesh sidecar)");
                arg = rebound;
            }

            kept.Add((JsonNode)JsonValue.Create(arg));
        }

        if (isOvms)
        {
            AddArgIfMissing(kept, "--model_name", "--model_name={{.Name}}", changes);
            AddArgIfMissing(kept, "--model_path", "--model_path=/mnt/models", changes);
            AddArgIfMissing(kept, "--rest_port", $"--rest_port={ModelMeshKeys.OvmsRestPort}", changes);
            EnsurePort(container, ModelMeshKeys.OvmsRestPort, changes);
            spec["protocolVersions"] = new JsonArray("v2", "grpc-v2");
            changes.Add("runtime: protocolVersions [v2, grpc-v2] (single-model OVMS speaks the KServe v2 protocol)");
        }

        container["args"] = kept;
        if (!isOvms)
        {
            SingleModelServers.Convert(SingleModelServers.ServerType(source), source, spec, container, modelFormat, changes);
        }

        return runtime;
    }

    /// <summary>Adds the single-model readiness a PVC-backed OVMS model needs (odh-cli PR #148): port 8888 and a TCP probe.</summary>
    public static void AddOvmsPvcReadiness(JsonObject runtime, List<string> changes)
    {
        if (FirstContainer(runtime) is not { } container)
        {
            return;
        }

        var args = container["args"] as JsonArray ?? [];
        container["args"] = args;
        AddArgIfMissing(args, "--model_name", "--model_name={{.Name}}", changes);
        AddArgIfMissing(args, "--model_path", "--model_path=/mnt/models", changes);
        AddArgIfMissing(args, "--rest_port", $"--rest_port={ModelMeshKeys.OvmsRestPort}", changes);
        EnsurePort(container, ModelMeshKeys.OvmsRestPort, changes);
        if (container["readinessProbe"] is null)
        {
            container["readinessProbe"] = new JsonObject
            {
                ["tcpSocket"] = new JsonObject { ["port"] = ModelMeshKeys.OvmsRestPort },
                ["initialDelaySeconds"] = 5,
                ["periodSeconds"] = 10,
            };
            changes.Add($"runtime: TCP readiness probe on port {ModelMeshKeys.OvmsRestPort} (PVC-backed OVMS model)");
        }
    }

    private static void AddArgIfMissing(JsonArray args, string flag, string value, List<string> changes)
    {
        if (!args.Any(a => a?.GetValue<string>() is { } s && (s == flag || s.StartsWith(flag + "=", StringComparison.Ordinal))))
        {
            args.Add((JsonNode)JsonValue.Create(value));
            changes.Add($"runtime: added single-model argument {value}");
        }
    }

    private static void EnsurePort(JsonObject container, int port, List<string> changes)
    {
        var ports = container["ports"] as JsonArray ?? [];
        if (!ports.OfType<JsonObject>().Any(p => p["containerPort"]?.ToJsonString() == port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            ports.Add((JsonNode)new JsonObject { ["containerPort"] = port, ["protocol"] = "TCP" });
            container["ports"] = ports;
            changes.Add($"runtime: containerPort {port}");
        }
    }

    private static void DecorateAnnotations(JsonObject runtime, JsonObject source, string? template, ModelMeshInputs inputs, string sourceNamespace)
    {
        var templateObject = template is null ? null : inputs.Template(template);
        var kept = runtime.Annotations().Where(a => a.Key is "opendatahub.io/recommended-accelerators" or "opendatahub.io/runtime-version" or ModelMeshKeys.DisplayName).ToList();
        runtime.Metadata().Remove("annotations");
        foreach (var (key, value) in kept)
        {
            runtime.SetAnnotation(key, value);
        }

        if (template is not null)
        {
            runtime.SetAnnotation(ModelMeshKeys.TemplateName, template);
            runtime.SetAnnotation(ModelMeshKeys.TemplateDisplayName, runtime.Annotation(ModelMeshKeys.DisplayName) ?? template);
            if (templateObject?.Annotation(ModelMeshKeys.ApiProtocol) is { } protocol)
            {
                runtime.SetAnnotation(ModelMeshKeys.ApiProtocol, protocol);
            }
        }

        if (source.Annotation(ModelMeshKeys.AcceleratorName) is { Length: > 0 } accelerator)
        {
            runtime.SetAnnotation(ModelMeshKeys.AcceleratorName, accelerator);
        }

        runtime.SetAnnotation(ModelMeshKeys.ServingRuntimeScope, "global");
        runtime.SetAnnotation(ModelMeshKeys.MigrationSource, "modelmesh");
        runtime.SetAnnotation(ModelMeshKeys.MigrationOriginalNamespace, sourceNamespace);
        runtime.SetAnnotation("migration.kserve.io/original-runtime", source.Name());
    }

    /// <summary>Scheduling and pull settings of the old runtime still mean something for the single-model pod.</summary>
    private static void CarryOver(JsonObject source, JsonObject runtime, List<string> changes)
    {
        var from = source.Obj("spec");
        var to = runtime.Obj("spec");
        foreach (var field in new[] { "tolerations", "nodeSelector", "affinity", "imagePullSecrets" })
        {
            if (from[field] is { } value && !IsEmpty(value))
            {
                to[field] = value.DeepClone();
                changes.Add($"runtime: spec.{field} carried over from {source.Name()}");
            }
        }

        if (FirstContainer(source) is not { } oldContainer || FirstContainer(runtime) is not { } newContainer)
        {
            return;
        }

        if (oldContainer["env"] is JsonArray env && env.Count > 0)
        {
            var target = newContainer["env"] as JsonArray ?? [];
            newContainer["env"] = target;
            foreach (var entry in env.OfType<JsonObject>().Where(e => !target.OfType<JsonObject>().Any(t => t.Str("name") == e.Str("name"))))
            {
                target.Add(entry.DeepClone());
                changes.Add($"runtime: env {entry.Str("name")} carried over from {source.Name()}");
            }
        }

        if (from["volumes"] is JsonArray volumes && oldContainer["volumeMounts"] is JsonArray mounts)
        {
            var targetVolumes = to["volumes"] as JsonArray ?? [];
            var targetMounts = newContainer["volumeMounts"] as JsonArray ?? [];
            foreach (var volume in volumes.OfType<JsonObject>().Where(v => !targetVolumes.OfType<JsonObject>().Any(t => t.Str("name") == v.Str("name"))))
            {
                targetVolumes.Add(volume.DeepClone());
                foreach (var mount in mounts.OfType<JsonObject>().Where(m => m.Str("name") == volume.Str("name")))
                {
                    targetMounts.Add(mount.DeepClone());
                }

                changes.Add($"runtime: volume {volume.Str("name")} carried over from {source.Name()}");
            }

            if (targetVolumes.Count > 0)
            {
                to["volumes"] = targetVolumes;
                newContainer["volumeMounts"] = targetMounts;
            }
        }
    }

    private static bool IsEmpty(JsonNode node) => node switch
    {
        JsonArray a => a.Count == 0,
        JsonObject o => o.Count == 0,
        _ => false,
    };

    [GeneratedRegex(@"\$\([A-Za-z0-9_.-]+\)")]
    private static partial Regex UnresolvedPlaceholder();

    [GeneratedRegex(@"^(--(?:grpc|rest)_bind_address)=127\.0\.0\.1$")]
    private static partial Regex BindAddress();
}
