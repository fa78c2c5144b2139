using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Hosting;

/// <summary>
/// A human gate on the command line: shows what is about to happen and asks for a typed word on a terminal.
/// Without a terminal, only an explicit approval given up front (--yes) passes; silence never approves.
/// </summary>
public sealed class ApprovalGate(TextReader input, TextWriter output, bool interactive, bool preApproved)
{
    public bool Approve(string gate, string word, IEnumerable<string> summary)
    {
        output.WriteLine();
        output.WriteLine($"== gate: {gate}");
        foreach (var line in summary)
        {
            output.WriteLine("  " + line);
        }

        if (preApproved)
        {
            output.WriteLine($"approved by --yes");
            return true;
        }

        if (!interactive)
        {
            throw new PreconditionException($"gate '{gate}' needs approval: no terminal to ask on; pass --yes to approve in advance");
        }

        output.Write($"type '{word}' to continue, anything else stops here: ");
        output.Flush();
        var answer = input.ReadLine()?.Trim();
        return string.Equals(answer, word, StringComparison.Ordinal);
    }
}
