namespace OdhMigration.Bench;

/// <summary>A benchmark's target: printed as met or missed, so a run's exit code and its output say the same.</summary>
internal static class Target
{
    public static bool Check(bool met, string whenMissed)
    {
        if (!met)
        {
            Console.Error.WriteLine("TARGET MISSED: " + whenMissed);
        }

        return met;
    }
}
