using System.Globalization;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Reporting;

/// <summary>Turns a <see cref="ReportModel"/> into the report's blocks: summary, refusals, endpoint map, waves, then one section per InferenceService.</summary>
public static class ReportContent
{
    public const string Title = "InferenceService migration report";

    public static IReadOnlyList<ReportBlock> Build(ReportModel model)
    {
        var blocks = new List<ReportBlock>
        {
            new HeadingBlock(1, Title),
            new ParagraphBlock($"Workspace: {model.Workspace}. Source: {model.Inventory.Source.Type} ({model.Inventory.Source.Description}). Report generated {Stamp(model.GeneratedAt)}; inventory from {Stamp(model.Inventory.GeneratedAt)}."),
        };
        if (model.Notes.Count > 0)
        {
            blocks.Add(new ListBlock(model.Notes));
        }

        Summary(model, blocks);
        NotMigrated(model, blocks);
        Endpoints(model, blocks);
        WaveReport.Add(model.Plan, blocks);
        RollbackReportSection.Add(model.Rollback, model.RollbackPlan, blocks);
        blocks.Add(new HeadingBlock(2, "InferenceServices", "isvcs"));
        foreach (var isvc in model.Isvcs)
        {
            Isvc(isvc, blocks);
        }

        // Both formats render these blocks, so redacting here covers report.md and report.html alike.
        return blocks.Select(Redacted).ToList();
    }

    private static ReportBlock Redacted(ReportBlock block) => block switch
    {
        HeadingBlock h => h with { Text = SecretRedaction.Text(h.Text) },
        ParagraphBlock p => new ParagraphBlock(SecretRedaction.Text(p.Text)),
        ListBlock l => new ListBlock(l.Items.Select(SecretRedaction.Text).ToList()),
        TableBlock t => new TableBlock(t.Headers, t.Rows.Select(r => (IReadOnlyList<string>)r.Select(SecretRedaction.Text).ToList()).ToList()),
        DiffBlock d => new DiffBlock(SecretRedaction.Text(d.Text)),
        _ => block,
    };

    public static string Anchor(InventoryItem item) => $"isvc-{item.Namespace}-{item.Name}";

    private static void Summary(ReportModel model, List<ReportBlock> blocks)
    {
        var items = model.Inventory.Items;
        var rows = new List<IReadOnlyList<string>>
        {
            Row("Namespaces", $"{model.Inventory.Scope.Namespaces.Count} ({string.Join(", ", model.Inventory.Scope.Namespaces)})"),
            Row("InferenceServices found", Count(items.Count)),
        };
        foreach (var group in items.GroupBy(i => i.Mode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            rows.Add(Row($"  in mode {group.Key}", Count(group.Count())));
        }

        rows.Add(Row("Eligible", Count(items.Count(i => i.Eligible))));
        rows.Add(Row("Selected", Count(items.Count(i => i.Selected))));
        if (model.Plan is { } plan)
        {
            rows.Add(Row("Planned", Count(plan.Items.Count(p => p.Status == ItemStatuses.Ok))));
            rows.Add(Row("Refused by transform", Count(plan.Items.Count(p => p.Status != ItemStatuses.Ok))));
            foreach (var strategy in plan.Items.Where(p => p.Status == ItemStatuses.Ok).GroupBy(p => p.Strategy).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                rows.Add(Row($"  strategy {strategy.Key}", Count(strategy.Count())));
            }
        }

        if (model.Validation is { } validation)
        {
            rows.Add(Row("Validation passed", Count(validation.Passed)));
            rows.Add(Row("Validation failed", Count(validation.Failed)));
        }

        blocks.Add(new HeadingBlock(2, "Summary", "summary"));
        blocks.Add(new TableBlock(["", "Count"], rows));
        var warnings = model.Inventory.Warnings.Concat(model.Export?.Warnings ?? []).Concat(model.Plan?.Warnings ?? []).ToList();
        if (warnings.Count > 0)
        {
            blocks.Add(new ParagraphBlock("Workspace-wide warnings:"));
            blocks.Add(new ListBlock(warnings));
        }
    }

    /// <summary>Every InferenceService that will not be migrated, with the stage that decided it and why.</summary>
    private static void NotMigrated(ReportModel model, List<ReportBlock> blocks)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var isvc in model.Isvcs)
        {
            var item = isvc.Item;
            var exported = model.Export?.Items.FirstOrDefault(e => e.Namespace == item.Namespace && e.Name == item.Name);
            if (!item.Eligible)
            {
                rows.Add([Ref(item), "discover (not eligible)", string.Join("; ", item.Blockers.Count > 0 ? item.Blockers : item.Reasons)]);
            }
            else if (!item.Selected)
            {
                rows.Add([Ref(item), "discover (not selected)", string.Join("; ", item.Reasons.Where(r => r.StartsWith("not selected", StringComparison.Ordinal)))]);
            }
            else if (exported is { Status: not ItemStatuses.Ok })
            {
                rows.Add([Ref(item), "export (failed)", exported.Error ?? ""]);
            }
            else if (isvc.Plan is { Status: not ItemStatuses.Ok } refused)
            {
                rows.Add([Ref(item), "transform (refused)", refused.Error ?? ""]);
            }
        }

        blocks.Add(new HeadingBlock(2, "Not migrated", "not-migrated"));
        blocks.Add(rows.Count == 0 ? new ParagraphBlock("Every InferenceService found is selected and planned.") : new TableBlock(["InferenceService", "Decided by", "Reason"], rows));
    }

    private static void Endpoints(ReportModel model, List<ReportBlock> blocks)
    {
        blocks.Add(new HeadingBlock(2, "Endpoint map", "endpoints"));
        var rows = model.Isvcs
            .Where(i => i.Plan is { Status: ItemStatuses.Ok, Endpoint: not null })
            .Select(i => (IReadOnlyList<string>)
            [
                Ref(i.Item),
                i.Plan!.Endpoint!.OldUrl ?? "(none recorded)",
                $"{i.Plan.Endpoint.NewNamespace}/{i.Plan.Endpoint.NewName}",
                i.Validation?.NewUrl ?? "(after apply)",
                i.Plan.Endpoint.TokenSecret is { } secret ? $"Secret {secret} in {i.Plan.Endpoint.NewNamespace}" : "(no auth)",
                i.Plan.Endpoint.Visibility ?? "",
            ])
            .ToList();
        if (rows.Count == 0)
        {
            blocks.Add(new ParagraphBlock("No endpoint changes planned."));
            return;
        }

        blocks.Add(new ParagraphBlock("Clients move from the old URL to the new InferenceService. Where auth is on, the replacement has its own ServiceAccount token: clients read the new token from the Secret named here (this report never shows token values)."));
        blocks.Add(new TableBlock(["InferenceService", "Old URL", "New InferenceService", "New URL", "Token", "Visibility"], rows));
    }

    private static void Isvc(IsvcReport isvc, List<ReportBlock> blocks)
    {
        var item = isvc.Item;
        var facts = item.Facts;
        blocks.Add(new HeadingBlock(3, Ref(item), Anchor(item)));
        blocks.Add(new TableBlock(["Fact", "Value"],
        [
            Row("Mode", $"{item.Mode} (from {item.ModeSource})"),
            Row("Eligible / selected", $"{YesNo(item.Eligible)} / {YesNo(item.Selected)}"),
            Row("Runtime", facts.Runtime is null ? "(none)" : $"{facts.Runtime} ({facts.RuntimeResolvedBy}{(facts.RuntimeExists ? "" : ", missing")}{(facts.RuntimeShared ? ", shared with " + string.Join(", ", facts.RuntimeSharedWith) : "")})"),
            Row("Model format", facts.ModelFormat is null ? "(none)" : facts.ModelFormat + (facts.ModelFormatVersion is { } v ? " " + v : "")),
            Row("Auth", facts.Auth ? $"on ({facts.AuthSource})" : "off"),
            Row("Visibility", facts.Visibility ?? ""),
            Row("Storage", facts.StorageForm + (facts.StorageKey is { } key ? $" (key {key})" : "")),
            Row("URL", facts.Url ?? ""),
            Row("Ready", facts.Ready is { } ready ? YesNo(ready) : "unknown"),
            Row("Transformer / explainer", $"{YesNo(facts.HasTransformer)} / {YesNo(facts.HasExplainer)}"),
            Row("GitOps", facts.GitOps ?? "no"),
        ]));
        List(blocks, "Discover warnings", item.Warnings);

        if (isvc.Plan is not { } plan)
        {
            blocks.Add(new ParagraphBlock(item.Selected ? "No plan entry: transform has not run for it." : "Not selected, so not planned."));
            return;
        }

        if (plan.Status != ItemStatuses.Ok)
        {
            blocks.Add(new ParagraphBlock($"Refused by transform: {plan.Error}"));
            List(blocks, "Warnings", plan.Warnings);
            return;
        }

        blocks.Add(new ParagraphBlock($"Strategy {plan.Strategy} ({plan.SourceMode} -> RawDeployment): the replacement is {plan.TargetNamespace}/{plan.TargetName}, applied from {plan.ApplyDir}/."));
        blocks.Add(new HeadingBlock(4, "InferenceService before / after"));
        blocks.Add(isvc.Diff is { Length: > 0 } diff ? new DiffBlock(diff) : new ParagraphBlock(isvc.DiffNote ?? "No diff available."));
        List(blocks, "Changes", plan.Changes);
        List(blocks, "Warnings", plan.Warnings);
        Objects(blocks, "Objects apply creates", plan.Create.Select(c => Row(c.Kind, c.Name, c.Namespace ?? "")).ToList(), ["Kind", "Name", "Namespace"]);
        if (plan.DeleteBeforeCreate)
        {
            Objects(blocks, "Deleted by apply before the replacement is created (in-place)", plan.DeleteBeforeApply.Select(d => Row(d.Kind, d.Name, d.Namespace ?? "", d.Reason, d.BackupFile ?? "(no backup)")).ToList(), ["Kind", "Name", "Namespace", "Reason", "Backup"]);
        }

        Objects(blocks, "Originals cleanup will delete (after validation)", plan.DeleteOnCleanup.Select(d => Row(d.Kind, d.Name, d.Namespace ?? "", d.Reason + (d.OnlyWithRuntime is { } rt ? $" (only if runtime {rt} is deleted)" : ""), d.BackupFile ?? "(no backup)")).ToList(), ["Kind", "Name", "Namespace", "Reason", "Backup"]);
        Objects(blocks, "Kept (never deleted)", plan.Keep.Select(k => Row(k.Kind, k.Name, k.Namespace ?? "", k.Reason)).ToList(), ["Kind", "Name", "Namespace", "Reason"]);
        var secrets = plan.SecretCopies.Select(s => Row($"Secret {s.Name}", "whole Secret", s.Namespace ?? ""))
            .Concat(plan.SecretKeyCopies.Select(s => Row($"Secret {s.Name}", "keys " + string.Join(", ", s.Keys), $"{s.SourceNamespace} -> {s.TargetNamespace}")))
            .ToList();
        Objects(blocks, "Secrets copied server-side by apply (data never written to disk)", secrets, ["Secret", "What", "Namespaces"]);
        Objects(blocks, "Label changes", plan.LabelChanges.Select(l => Row($"{l.Kind} {l.Name}", l.Key, $"{l.From ?? "(absent)"} -> {l.To ?? "(removed)"}", l.Reason)).ToList(), ["Object", "Label", "Change", "Reason"]);

        if (isvc.Validation is { } validation)
        {
            blocks.Add(new HeadingBlock(4, "Validation"));
            blocks.Add(new ParagraphBlock($"{(validation.Passed ? "Passed" : "Failed")}: {validation.Reason}. {validation.Message}"));
            List(blocks, "Remedies", validation.Remedies);
        }
    }

    private static void List(List<ReportBlock> blocks, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        blocks.Add(new HeadingBlock(4, title));
        blocks.Add(new ListBlock(items));
    }

    private static void Objects(List<ReportBlock> blocks, string title, List<IReadOnlyList<string>> rows, string[] headers)
    {
        blocks.Add(new HeadingBlock(4, title));
        blocks.Add(rows.Count == 0 ? new ParagraphBlock("None.") : new TableBlock(headers, rows));
    }

    private static string Ref(InventoryItem item) => $"{item.Namespace}/{item.Name}";

    private static IReadOnlyList<string> Row(params string[] cells) => cells;

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
