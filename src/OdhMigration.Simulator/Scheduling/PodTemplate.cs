using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OdhMigration.Simulator.Scheduling;

/// <summary>
/// The pods one workload should have: how many, named from <see cref="NamePrefix"/>, with these labels, this owner and
/// this spec. <see cref="Hash"/> identifies the spec, so a changed spec replaces the pods (as a Deployment rollout would).
/// </summary>
internal sealed record PodTemplate(int Replicas, string NamePrefix, JsonObject Labels, JsonObject Owner, JsonObject Spec)
{
    /// <summary>Annotation recording the template a simulator-made pod came from.</summary>
    public const string HashAnnotation = "simulator.opendatahub.io/pod-template-hash";

    public string Hash { get; } = Digest(Spec);

    public JsonObject NewPod(string name, string? ns)
    {
        var labels = (JsonObject)Labels.DeepClone();
        labels["pod-template-hash"] = Hash;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = labels,
                ["annotations"] = new JsonObject { [HashAnnotation] = Hash },
                ["ownerReferences"] = new JsonArray(Owner.DeepClone()),
            },
            ["spec"] = Spec.DeepClone(),
        };
    }

    private static string Digest(JsonObject spec) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec.ToJsonString())))[..10];
}
