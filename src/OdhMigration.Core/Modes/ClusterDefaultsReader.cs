using System.Text.Json;
using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Modes;

/// <summary>Finds the applications namespace and the cluster's default deployment mode.</summary>
public static class ClusterDefaultsReader
{
    public const string ConfigMapName = "inferenceservice-config";
    public static readonly string[] FallbackApplicationsNamespaces = ["opendatahub", "redhat-ods-applications"];

    public static async Task<(ClusterDefaults Defaults, JsonObject? ConfigMap, List<string> Warnings)> ReadAsync(IClusterReader cluster, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var candidates = new List<string>();
        var dscis = await cluster.ListAsync(Kinds.DSCInitialization, null, null, cancellationToken).ConfigureAwait(false);
        if (dscis.Select(d => d.At("spec").Str("applicationsNamespace")).FirstOrDefault(n => !string.IsNullOrEmpty(n)) is { } fromDsci)
        {
            candidates.Add(fromDsci);
        }

        candidates.AddRange(FallbackApplicationsNamespaces.Where(n => !candidates.Contains(n)));
        foreach (var ns in candidates)
        {
            var configMap = await cluster.GetAsync(Kinds.ConfigMap, ns, ConfigMapName, cancellationToken).ConfigureAwait(false);
            if (configMap is null)
            {
                continue;
            }

            var mode = ParseDefaultMode(configMap, warnings);
            return (new ClusterDefaults
            {
                ApplicationsNamespace = ns,
                DefaultDeploymentMode = mode,
                DefaultDeploymentModeSource = $"ConfigMap {ns}/{ConfigMapName} data.deploy.defaultDeploymentMode",
            }, configMap, warnings);
        }

        warnings.Add($"ConfigMap {ConfigMapName} not found in {string.Join(", ", candidates)}; unannotated InferenceServices fall back to their status or KServe's default (Serverless)");
        return (new ClusterDefaults { ApplicationsNamespace = candidates.FirstOrDefault() }, null, warnings);
    }

    /// <summary>data.deploy is a JSON string (not YAML) in this ConfigMap.</summary>
    public static string? ParseDefaultMode(JsonObject configMap, List<string> warnings)
    {
        var deploy = configMap.At("data").Str("deploy");
        if (deploy is null)
        {
            return null;
        }

        try
        {
            var value = JsonNode.Parse(deploy).Str("defaultDeploymentMode");
            var normalised = DeploymentMode.Normalise(value);
            if (value is not null && normalised is null)
            {
                warnings.Add($"ConfigMap {configMap.Namespace()}/{ConfigMapName}: data.deploy.defaultDeploymentMode '{value}' is not a known mode");
            }

            return normalised;
        }
        catch (JsonException ex)
        {
            warnings.Add($"ConfigMap {configMap.Namespace()}/{ConfigMapName}: data.deploy is not valid JSON ({ex.Message})");
            return null;
        }
    }
}
