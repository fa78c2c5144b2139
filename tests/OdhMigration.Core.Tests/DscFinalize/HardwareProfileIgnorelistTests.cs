using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.DscFinalize;
using OdhMigration.Core.Tests.Support;

namespace OdhMigration.Core.Tests.DscFinalize;

public sealed class HardwareProfileIgnorelistTests
{
    [Fact]
    public void Adds_missing_keys_keeps_the_rest_and_marks_the_configmap_unmanaged()
    {
        var path = Path.Combine(RepoPaths.Shared, "fixtures", "upstream", "kserve-odh", "stable-2.x", "odh-overlay-patch-inferenceservice-config.yaml");
        var configMap = (JsonObject)Yaml.ParseDocuments(File.ReadAllText(path), path)[0].Root!;
        var before = JsonNode.Parse(configMap.At("data").Str("inferenceService")!)!["serviceAnnotationDisallowedList"]!.AsArray().Select(n => n!.ToString()).ToList();

        var patch = HardwareProfileIgnorelist.Patch(configMap)!;
        var after = DscPatchPlanner.ApplyMergePatch(configMap, patch);
        var list = JsonNode.Parse(after.At("data").Str("inferenceService")!)!["serviceAnnotationDisallowedList"]!.AsArray().Select(n => n!.ToString()).ToList();

        Assert.Equal("false", after.Annotation("opendatahub.io/managed"));
        Assert.Equal(before, list.Take(before.Count));
        Assert.Contains("opendatahub.io/hardware-profile-name", list);
        Assert.Contains("opendatahub.io/hardware-profile-namespace", list);
        Assert.Equal(list.Count, list.Distinct().Count());
        Assert.Null(HardwareProfileIgnorelist.Patch(after));
    }
}
