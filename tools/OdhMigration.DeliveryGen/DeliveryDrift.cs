namespace OdhMigration.DeliveryGen;

/// <summary>
/// Compares the committed delivery files with what <see cref="StageFileGenerator"/> makes, and rewrites the stale
/// ones on request. The drift test and the command line share it, so both judge a file the same way.
/// </summary>
public static class DeliveryDrift
{
    /// <summary>The one command that regenerates the files, as the headers, the docs and the drift test name it.</summary>
    public const string WriteCommand = "dotnet run --project tools/OdhMigration.DeliveryGen -- --write";

    /// <summary>Repository-relative paths (with '/') of generated files that are missing or differ under <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Stale(string root) =>
        StageFileGenerator.Generate().Where(file => !UpToDate(root, file.Key, file.Value)).Select(file => file.Key).ToList();

    /// <summary>Writes every stale file under <paramref name="root"/>; returns the paths it wrote.</summary>
    public static IReadOnlyList<string> Write(string root)
    {
        var written = new List<string>();
        foreach (var (relative, content) in StageFileGenerator.Generate())
        {
            if (UpToDate(root, relative, content))
            {
                continue;
            }

            var path = PathOf(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            written.Add(relative);
        }

        return written;
    }

    private static bool UpToDate(string root, string relative, string content)
    {
        var path = PathOf(root, relative);
        return File.Exists(path) && File.ReadAllText(path) == content;
    }

    private static string PathOf(string root, string relative) => Path.Combine([root, .. relative.Split('/')]);
}
