using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Tests.Schema;

namespace OdhMigration.Core.Tests.Transform.Serverless;

/// <summary>Every generated ISVC and ServingRuntime must validate against the ODH 2.x and the target-side (odh-master) CRDs.</summary>
public static class CrdAssert
{
    public static void ValidAgainstCrds(IEnumerable<JsonObject> objects)
    {
        var errors = new List<string>();
        foreach (var obj in objects.Where(o => o.Kind() is "InferenceService" or "ServingRuntime"))
        {
            errors.AddRange(CrdSchemaValidator.Validate("kserve/odh-stable-2.x", obj).Select(e => "odh-stable-2.x: " + e));
            errors.AddRange(CrdSchemaValidator.Validate("kserve/odh-master", obj).Select(e => "odh-master: " + e));
        }

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

}
