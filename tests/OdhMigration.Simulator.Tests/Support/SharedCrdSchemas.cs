using OdhMigration.Simulator.Schema;

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
    public static CrdSchemas Required => Loaded.Value ?? throw new InvalidOperationException("../shared/crds not found");

    /// <summary>The schemas, or null without ../shared/crds (the simulator then serves every kind schemaless).</summary>
    public static CrdSchemas? OrNull => Loaded.Value;

    private static string? FindCrds()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OdhMigrationTasks.sln")))
            {
                var crds = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "crds"));
                return Directory.Exists(crds) ? crds : null;
            }
        }

        return null;
    }
}
