using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Stages.Transform;

/// <summary>
/// What changed on an InferenceService between discover and export, named fact by fact. Transform always follows
/// the exported original; this only decides whether that is safe. A changed deployment mode, runtime or storage
/// connection refuses the item: the user selected and reviewed something else, and export saved the runtime and
/// storage Secrets discover named, so the plan would mix the two. Smaller changes (auth, model format, visibility,
/// components, GitOps owner) are warnings in the plan entry. Rules: docs/transform-serverless.md.
/// </summary>
public static class DiscoverDrift
{
    public const string Prefix = "changed since discover: ";

    public sealed record Result(List<string> Refusals, List<string> Warnings);

    public static Result Compare(InventoryItem discovered, TransformItem exported)
    {
        var refusals = new List<string>();
        var warnings = new List<string>();
        var was = discovered.Facts;
        var now = exported.Facts;

        if (discovered.Mode != exported.Mode)
        {
            refusals.Add(Changed("deploymentMode", discovered.Mode, exported.Mode));
        }
        else if (discovered.ModeSource == "annotation" && exported.ModeSource != "annotation")
        {
            warnings.Add($"{Prefix}the {DeploymentMode.AnnotationKey} annotation ({discovered.Mode} at discover) is gone from the exported original; export saves no status, so the mode stays {discovered.Mode}");
        }

        if (was.Runtime is not null && now.Runtime is not null && was.Runtime != now.Runtime)
        {
            refusals.Add(Changed("ServingRuntime", was.Runtime, now.Runtime) + $" (export saved ServingRuntime {was.Runtime})");
        }
        else if (was.RuntimeResolvedBy == "spec" && now.RuntimeResolvedBy != "spec")
        {
            refusals.Add($"{Prefix}spec.predictor.model.runtime was {was.Runtime} at discover, the exported original names no runtime (KServe may now auto-select another)");
        }
        else if (was.RuntimeResolvedBy != now.RuntimeResolvedBy && now.RuntimeResolvedBy == "spec")
        {
            warnings.Add($"{Prefix}the runtime was auto-selected at discover, the exported original names it in spec.predictor.model.runtime ({now.Runtime})");
        }

        if (IsConnection(was.StorageForm) && IsConnection(now.StorageForm) && was.StorageKey != now.StorageKey)
        {
            refusals.Add(Changed("storage key", was.StorageKey, now.StorageKey) + $" (export saved the storage Secrets of {was.StorageKey})");
        }
        else if (was.StorageForm != now.StorageForm || was.StorageKey != now.StorageKey || was.StoragePath != now.StoragePath)
        {
            warnings.Add(Changed("storage", Storage(was), Storage(now)));
        }

        if (was.Auth != now.Auth)
        {
            warnings.Add(Changed("auth", was.Auth ? "enabled" : "disabled", now.Auth ? "enabled" : "disabled"));
        }

        if (was.ModelFormat != now.ModelFormat || was.ModelFormatVersion != now.ModelFormatVersion)
        {
            warnings.Add(Changed("model format", Format(was), Format(now)));
        }

        if (was.Visibility != now.Visibility)
        {
            warnings.Add(Changed("visibility", was.Visibility, now.Visibility));
        }

        if (was.HasTransformer != now.HasTransformer)
        {
            warnings.Add(Changed("spec.transformer", was.HasTransformer ? "present" : "absent", now.HasTransformer ? "present" : "absent"));
        }

        if (was.HasExplainer != now.HasExplainer)
        {
            warnings.Add(Changed("spec.explainer", was.HasExplainer ? "present" : "absent", now.HasExplainer ? "present" : "absent"));
        }

        if (was.GitOps != now.GitOps)
        {
            warnings.Add(Changed("GitOps owner", was.GitOps, now.GitOps));
        }

        return new Result(refusals, warnings);
    }

    private static string Changed(string fact, string? atDiscover, string? exported) =>
        $"{Prefix}{fact} was {atDiscover ?? "none"} at discover, the exported original says {exported ?? "none"}";

    /// <summary>Storage forms whose key names a Secret export saved (a data connection, or ModelMesh's secretKey).</summary>
    private static bool IsConnection(string? form) => form is "storage-key" or "modelmesh-secret-key";

    private static string Storage(IsvcFacts facts) =>
        string.Join(" ", new[] { facts.StorageForm, facts.StorageKey is null ? null : $"key {facts.StorageKey}", facts.StoragePath is null ? null : $"path {facts.StoragePath}" }.OfType<string>());

    private static string Format(IsvcFacts facts) =>
        facts.ModelFormat is null ? "none" : facts.ModelFormatVersion is null ? facts.ModelFormat : $"{facts.ModelFormat} {facts.ModelFormatVersion}";
}
