using System.CommandLine;
using OdhMigration.Core.Stages.Rollback;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>What rollback may do beyond its safe default.</summary>
public static class RollbackChoiceOptions
{
    public static Option<bool> ForceDscRestore() => new(RollbackOptions.ForceDscRestoreOption)
    {
        Description = "Restore the DSC/DSCI from dsc-finalize's backup even where their spec changed since dsc-finalize left it, reverting that change too (without it that restore is refused; the plan lists the changed fields either way). Never overrides a backup whose sha256 differs from finalize.json's record",
    };
}
