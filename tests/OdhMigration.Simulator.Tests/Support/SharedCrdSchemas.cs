using OdhMigration.Simulator.Schema;
using OdhMigration.TestSupport;

namespace OdhMigration.Simulator.Tests.Support;

/// <summary>
/// The real CRDs from ../shared/crds (the ODH 2.x KServe branch, OpenShift Route/Template, the ODH operator's 2.x
/// DSC/DSCI, ModelMesh Predictor), read once per test process and shared by every simulator, so the product's tests
/// run against the schemas a cluster enforces. Linked into the Integration and Cluster test projects.
/// </summary>
public static class SharedCrdSchemas
{
    private static readonly Lazy<CrdSchemas?> Loaded = new(() =>
    {
        if (FindCrds() is not { } root)
        {
            return null;
        }

        return CrdSchemas.Load(
            Path.Combine(root, "kserve", "odh-stable-2.x"),
            Path.Combine(root, "openshift"),
            Path.Combine(root, "odh-operator", "stable-2.x"),
            Path.Combine(root, "modelmesh"));
    });

    /// <summary>The schemas; throws when ../shared/crds is missing (the fidelity tests need them).</summary>
    public static CrdSchemas Required => Loaded.Value ?? throw new DirectoryNotFoundException($"{Path.Combine(UpstreamFiles.Root, "crds")} not found");

    /// <summary>The schemas, or null without ../shared/crds (the simulator then serves every kind schemaless).</summary>
    public static CrdSchemas? OrNull => Loaded.Value;

    // The one rule of tests/Common/UpstreamFiles (../shared, else the clone's .shared-cache); without either, the
    // fidelity tests fail with its one message and the product tests run schemaless.
    private static string? FindCrds()
    {
        try
        {
            var crds = Path.Combine(UpstreamFiles.Root, "crds");
            return Directory.Exists(crds) ? crds : null;
        }
        catch (UpstreamFilesMissingException)
        {
            return null;
        }
    }
}
