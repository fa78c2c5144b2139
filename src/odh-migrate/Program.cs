using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Hosting;

return await CliApp.RunAsync(UmbrellaCommand.Create(CliIo.Console), args).ConfigureAwait(false);
