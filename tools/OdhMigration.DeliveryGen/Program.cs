using OdhMigration.DeliveryGen;

// Regenerates (--write) or checks (--check, the default) the generated delivery files: tekton/task and
// tekton/stepaction per stage, github-actions/<tool>/action.yml and images/<tool>/Dockerfile.
//   dotnet run --project tools/OdhMigration.DeliveryGen -- --write [--root <repo>]
//   dotnet run --project tools/OdhMigration.DeliveryGen -- --check [--root <repo>]
const string Usage = "usage: OdhMigration.DeliveryGen [--check | --write] [--root <repository folder>]";
var write = false;
string? root = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--write":
            write = true;
            break;
        case "--check":
            write = false;
            break;
        case "--root" when i + 1 < args.Length:
            root = Path.GetFullPath(args[++i]);
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}");
            return 2;
    }
}

root ??= RepoRoot.Find();
if (root is null || !File.Exists(Path.Combine(root, RepoRoot.Solution)))
{
    Console.Error.WriteLine($"{RepoRoot.Solution} not found (run inside the repository or pass --root)");
    return 2;
}

if (write)
{
    var written = DeliveryDrift.Write(root);
    foreach (var relative in written)
    {
        Console.WriteLine("wrote " + relative);
    }

    Console.WriteLine(written.Count == 0 ? "delivery files already up to date" : $"{written.Count} file(s) regenerated");
    return 0;
}

var stale = DeliveryDrift.Stale(root);
foreach (var relative in stale)
{
    Console.Error.WriteLine("out of date: " + relative);
}

if (stale.Count > 0)
{
    Console.Error.WriteLine($"regenerate with: {DeliveryDrift.WriteCommand}");
    return 1;
}

Console.WriteLine("delivery files up to date");
return 0;
