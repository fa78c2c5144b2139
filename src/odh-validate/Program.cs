using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;

return await CliApp.RunAsync(StageCatalog.Validate.CreateRoot(CliIo.Console), args).ConfigureAwait(false);
