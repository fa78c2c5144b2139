using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Scheduling;

/// <summary>
/// Kinds the simulator serves for scheduling that the migration tools themselves never name. Node is cluster-scoped;
/// like the API server, a Node's status (allocatable) is taken as written on create and update (kubelets register
/// their nodes with it), so it has no /status subresource here.
/// </summary>
public static class SchedulingKinds
{
    public static readonly ResourceKind Node = new("", "v1", "Node", "nodes", false, ["no"]);

    public static IReadOnlyList<ResourceKind> All { get; } = [Node];
}
