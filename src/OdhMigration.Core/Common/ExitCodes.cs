namespace OdhMigration.Core.Common;

/// <summary>The exit codes every tool shares (documented in README.md).</summary>
public static class ExitCodes
{
    /// <summary>Everything requested happened.</summary>
    public const int Success = 0;

    /// <summary>Some items failed; the others went on.</summary>
    public const int PartialFailure = 1;

    /// <summary>Usage or input error; nothing was done.</summary>
    public const int UsageError = 2;

    /// <summary>A precondition or gate refused; nothing was done.</summary>
    public const int PreconditionFailed = 3;
}
