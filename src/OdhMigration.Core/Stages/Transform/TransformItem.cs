using OdhMigration.Core.Manifests;
using OdhMigration.Core.Modes;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Stages.Transform;

/// <summary>
/// The InferenceService being transformed, with the facts transform decides by, read from the original export
/// saved (the object as it was when export ran), never from inventory.json: the ISVC may have changed since
/// discover. Discover's facts serve only to notice such a change (<see cref="DiscoverDrift"/>).
/// </summary>
public sealed record TransformItem(string Namespace, string Name, string Mode, string ModeSource, IsvcFacts Facts)
{
    /// <summary>
    /// Reads the facts from the exported ISVC and runtime. Export saves no status (it is server-owned), so what only
    /// the status holds stays discover's: the URL, readiness, and the mode of an ISVC without a deploymentMode
    /// annotation (discover read it from the status or the cluster default). Runtime sharing is namespace-wide and
    /// also stays discover's.
    /// </summary>
    public static TransformItem Read(IReadOnlyList<SavedObject> originals, InventoryItem discovered)
    {
        var isvc = originals.First(o => o.Role == ExportRoles.Isvc).Object;
        var runtime = originals.FirstOrDefault(o => o.Role == ExportRoles.Runtime)?.Object;
        var (mode, modeSource) = isvc.Annotation(DeploymentMode.AnnotationKey) is not null
            ? ModeResolution.Resolve(isvc, null)
            : new ModeResolution(discovered.Mode, discovered.ModeSource == "annotation" ? "discover (the annotation is gone; export saves no status)" : discovered.ModeSource);

        // A runtime the spec names is the one served by; otherwise KServe auto-selected, and export saved the runtime it picked.
        var named = isvc.At("spec", "predictor", "model").Str("runtime");
        var resolution = string.IsNullOrEmpty(named)
            ? new RuntimeResolver.Resolution(runtime?.Name(), "auto-select", runtime)
            : new RuntimeResolver.Resolution(named, "spec", runtime?.Name() == named ? runtime : null);
        var facts = IsvcFactsReader.Read(isvc, mode, resolution, discovered.Facts.RuntimeSharedWith, discovered.Facts.RuntimeSharedCount) with
        {
            Url = discovered.Facts.Url,
            Ready = discovered.Facts.Ready,
        };
        return new TransformItem(discovered.Namespace, discovered.Name, mode, modeSource, facts);
    }
}
