using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;

return await CliApp.RunAsync(StageCatalog.Discover.CreateRoot(CliIo.Console), args).ConfigureAwait(false);
