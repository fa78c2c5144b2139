using OdhMigration.Simulator.Schema;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Fidelity.Support;

/// <summary>
/// The real CRDs from ../shared/crds (the ODH 2.x KServe branch, OpenShift Route/Template, the ODH operator's 2.x
/// DSC/DSCI, ModelMesh Predictor), read once per test process and shared by every simulator.
/// </summary>
public static class SharedCrdSchemas
{
    private static readonly Lazy<CrdSchemas?> Loaded = new(() =>
    {
        if (SharedPaths.SharedCrds() is not { } root)
        {
            return null;
        }

        return CrdSchemas.Load(
            Path.Combine(root, "kserve", "odh-stable-2.x"),
            Path.Combine(root, "openshift"),
            Path.Combine(root, "odh-operator", "stable-2.x"),
            Path.Combine(root, "modelmesh"));
    });

    /// <summary>The schemas; skips the calling test when ../shared/crds is missing.</summary>
    public static CrdSchemas Required => Loaded.Value ?? throw new InvalidOperationException("../shared/crds not found");

    public static CrdSchemas? OrNull => Loaded.Value;
}
