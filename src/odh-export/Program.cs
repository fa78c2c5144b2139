using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;

return await CliApp.RunAsync(StageCatalog.Export.CreateRoot(CliIo.Console), args).ConfigureAwait(false);
