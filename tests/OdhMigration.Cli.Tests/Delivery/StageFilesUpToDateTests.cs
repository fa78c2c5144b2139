namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>
/// The committed Task, StepAction and action files must be what the generator makes from today's command
/// definitions; a new option fails this test until the files are regenerated (ODH_UPDATE_DELIVERY=1).
/// </summary>
public sealed class StageFilesUpToDateTests
{
    [Fact]
    public void StageFilesUpToDate()
    {
        var update = Environment.GetEnvironmentVariable("ODH_UPDATE_DELIVERY") == "1";
        var stale = new List<string>();
        foreach (var (relative, content) in StageFileGenerator.Generate())
        {
            var path = RepoPaths.Combine(relative.Split('/'));
            var current = File.Exists(path) ? File.ReadAllText(path) : null;
            if (current == content)
            {
                continue;
            }

            if (update)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, content);
            }
            else
            {
                stale.Add(relative);
            }
        }

        Assert.True(stale.Count == 0, "Out of date with the command definitions (regenerate with ODH_UPDATE_DELIVERY=1 dotnet test tests/OdhMigration.Cli.Tests --filter StageFilesUpToDate): " + string.Join(", ", stale));
    }
}
