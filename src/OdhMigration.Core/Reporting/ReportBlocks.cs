namespace OdhMigration.Core.Reporting;

/// <summary>
/// The report as a list of format-neutral blocks, built once and rendered as Markdown and as HTML, so both files
/// always say the same thing. Text in blocks is raw; each renderer escapes it for its format.
/// </summary>
public abstract record ReportBlock;

public sealed record HeadingBlock(int Level, string Text, string? Anchor = null) : ReportBlock;

public sealed record ParagraphBlock(string Text) : ReportBlock;

public sealed record ListBlock(IReadOnlyList<string> Items) : ReportBlock;

public sealed record TableBlock(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;

/// <summary>A unified diff (or any preformatted text) shown verbatim.</summary>
public sealed record DiffBlock(string Text) : ReportBlock;
