using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Hosting;

/// <summary>
/// A human gate on the command line: shows what is about to happen and asks for a typed word on a terminal.
/// Without a terminal, only an approval given up front for that gate (--approve plan,cleanup or --yes) passes;
/// silence never approves.
/// </summary>
/// <param name="preApproved">Gate ids approved in advance ("plan", "cleanup").</param>
/// <param name="approveHint">How to approve in advance, for the refusal message (e.g. "--approve plan,cleanup").</param>
public sealed class ApprovalGate(TextReader input, TextWriter output, bool interactive, IReadOnlySet<string> preApproved, string approveHint)
{
    public const string Plan = "plan";
    public const string Cleanup = "cleanup";
    public static readonly IReadOnlyList<string> All = [Plan, Cleanup];

    /// <summary>How the last approval was given: the advance option (e.g. "--approve") or "typed".</summary>
    public string LastApprovedBy { get; private set; } = "";

    /// <param name="gate">Gate id: <see cref="Plan"/> or <see cref="Cleanup"/>.</param>
    /// <param name="title">What the human is approving, e.g. "plan, before apply".</param>
    /// <param name="word">The word to type to continue.</param>
    public bool Approve(string gate, string title, string word, IEnumerable<string> summary)
    {
        output.WriteLine();
        output.WriteLine($"== gate: {title}");
        foreach (var line in summary)
        {
            output.WriteLine("  " + Redactor.Redact(line));
        }

        if (preApproved.Contains(gate))
        {
            output.WriteLine($"approved in advance ({approveHint.Split(' ')[0]})");
            LastApprovedBy = approveHint.Split(' ')[0];
            return true;
        }

        if (!interactive)
        {
            throw new PreconditionException($"gate '{gate}' ({title}) needs approval and there is no terminal to ask on; approve it in advance with {approveHint}");
        }

        output.Write($"type '{word}' to continue, anything else stops here: ");
        output.Flush();
        var answer = input.ReadLine()?.Trim();
        LastApprovedBy = "typed";
        return string.Equals(answer, word, StringComparison.Ordinal);
    }
}
