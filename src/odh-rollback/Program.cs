using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;

return await CliApp.RunAsync(StageCatalog.Rollback.CreateRoot(CliIo.Console), args).ConfigureAwait(false);
