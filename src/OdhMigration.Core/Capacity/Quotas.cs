using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Capacity;

/// <summary>A ResourceQuota as hard, used and free amounts (base units, the quota's own keys: requests.cpu, requests.nvidia.com/gpu, pods, ...).</summary>
public static class Quotas
{
    /// <summary>status.hard (what the quota controller enforces; spec.hard before it has run) minus status.used.</summary>
    public static NamespaceQuota From(JsonObject quota)
    {
        var where = $"ResourceQuota {quota.Namespace()}/{quota.Name()}";
        var hard = quota.At("status", "hard") is JsonObject status
            ? Requirements.ParseMap(status, $"{where}: status.hard")
            : Requirements.ParseMap(quota.At("spec", "hard"), $"{where}: spec.hard");
        var used = Requirements.ParseMap(quota.At("status", "used"), $"{where}: status.used");
        return new NamespaceQuota(quota.Namespace() ?? "", quota.Name(), Amounts.Sorted(hard), Amounts.Sorted(used), Amounts.Sorted(Amounts.Free(hard, used)));
    }
}
