using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Behaviours;

/// <summary>An in-process controller reacting to store changes (events arrive in resourceVersion order, one at a time).</summary>
internal interface IController
{
    /// <summary>Called once after the snapshot is loaded, before any event.</summary>
    void Start(CancellationToken stopping);

    void Handle(StoreEvent e, CancellationToken stopping);
}
