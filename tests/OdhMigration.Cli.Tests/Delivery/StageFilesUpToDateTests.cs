using OdhMigration.DeliveryGen;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>
/// The committed Task, StepAction, action and Dockerfile files must be what tools/OdhMigration.DeliveryGen makes from
/// today's command definitions; a new option fails this test until the files are regenerated with the tool's
/// --write. ODH_UPDATE_DELIVERY=1 makes this test do the same write (it calls the same code).
/// </summary>
public sealed class StageFilesUpToDateTests
{
    [Fact]
    public void StageFilesUpToDate()
    {
        if (Environment.GetEnvironmentVariable("ODH_UPDATE_DELIVERY") == "1")
        {
            DeliveryDrift.Write(RepoPaths.Root);
        }

        var stale = DeliveryDrift.Stale(RepoPaths.Root);
        Assert.True(stale.Count == 0, $"Out of date with the command definitions (regenerate with {DeliveryDrift.WriteCommand}): " + string.Join(", ", stale));
    }
}
