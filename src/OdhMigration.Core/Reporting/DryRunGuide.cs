using System.Text;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Core.Reporting;

/// <summary>
/// The text a dry run ends with, for people who apply by hand as the migration guide describes: per
/// InferenceService what to delete first (in-place), which Secrets and labels apply would handle, which folder to
/// 'oc apply -f', and how tokens change. Every command comes from plan.json, so it names exactly what the plan names.
/// </summary>
public static class DryRunGuide
{
    public static string NextSteps(WorkspaceLayout layout, Plan plan)
    {
        var text = new StringBuilder();
        var planned = plan.Items.Where(i => i.Status == ItemStatuses.Ok).ToList();
        text.Append("Next steps (per InferenceService; review ").Append(Path.Combine(layout.Root, "report.md")).Append(" first):\n");
        if (planned.Count == 0)
        {
            text.Append("  nothing was planned; see the refusals above.\n");
            return SecretRedaction.Text(text.ToString());
        }

        foreach (var item in planned)
        {
            text.Append("\n  ").Append(item.Namespace).Append('/').Append(item.Name).Append(" -> ").Append(item.TargetNamespace).Append('/').Append(item.TargetName)
                .Append(" (").Append(item.Strategy).Append(")\n");
            var step = 1;
            if (item.DeleteBeforeCreate && item.DeleteBeforeApply.Count > 0)
            {
                text.Append("    ").Append(step++).Append(". Same names: delete the originals first (backups are in ").Append(layout.Original(item.Namespace, item.Name)).Append("):\n");
                foreach (var deletion in item.DeleteBeforeApply)
                {
                    text.Append("       oc delete ").Append(deletion.Kind.ToLowerInvariant()).Append(' ').Append(deletion.Name)
                        .Append(deletion.Namespace is { } ns ? " -n " + ns : "").Append('\n');
                }
            }

            foreach (var copy in item.SecretCopies)
            {
                text.Append("    ").Append(step++).Append(". Copy Secret ").Append(copy.Name).Append(" from ").Append(copy.Namespace).Append(" to ").Append(item.TargetNamespace)
                    .Append(" (its data is not in the workspace):\n")
                    .Append("       oc get secret ").Append(copy.Name).Append(" -n ").Append(copy.Namespace)
                    .Append(" -o json | jq 'del(.metadata.namespace,.metadata.uid,.metadata.resourceVersion,.metadata.creationTimestamp,.metadata.ownerReferences,.metadata.managedFields)' | oc apply -n ")
                    .Append(item.TargetNamespace).Append(" -f -\n");
            }

            foreach (var copy in item.SecretKeyCopies)
            {
                text.Append("    ").Append(step++).Append(". Add keys ").Append(string.Join(", ", copy.Keys)).Append(" of Secret ").Append(copy.Name)
                    .Append(" from ").Append(copy.SourceNamespace).Append(" to the Secret of that name in ").Append(copy.TargetNamespace).Append(" (").Append(copy.Reason).Append(")\n");
            }

            foreach (var label in item.LabelChanges)
            {
                text.Append("    ").Append(step++).Append(". oc label ").Append(label.Kind.ToLowerInvariant()).Append(' ').Append(label.Name)
                    .Append(label.Namespace is { } ns ? " -n " + ns : "").Append(' ')
                    .Append(label.To is { } to ? $"{label.Key}={to} --overwrite" : label.Key + "-").Append("   # ").Append(label.Reason).Append('\n');
            }

            text.Append("    ").Append(step).Append(". oc apply -f ").Append(layout.Absolute(item.ApplyDir)).Append('/').Append('\n');
        }

        text.Append('\n').Append(TokenWarning(plan));
        return SecretRedaction.Text(text.ToString());
    }

    /// <summary>Clients of an ISVC with auth get a new token; in-place rollback gives yet another one.</summary>
    public static string TokenWarning(Plan plan)
    {
        var withTokens = plan.Items.Where(i => i.Status == ItemStatuses.Ok && i.Endpoint?.TokenSecret is not null).ToList();
        if (withTokens.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder("WARNING: tokens change. Clients must switch to the new token (never printed here); read it from:\n");
        foreach (var item in withTokens)
        {
            text.Append("  ").Append(item.Namespace).Append('/').Append(item.Name).Append(": Secret ").Append(item.Endpoint!.TokenSecret)
                .Append(" in ").Append(item.Endpoint.NewNamespace).Append(" (oc extract secret/").Append(item.Endpoint.TokenSecret).Append(" -n ").Append(item.Endpoint.NewNamespace).Append(" --keys=token --to=-)\n");
        }

        if (withTokens.Any(i => i.DeleteBeforeCreate))
        {
            text.Append("  In-place: tokens will be DIFFERENT again if you roll back to the originals.\n");
        }

        return SecretRedaction.Text(text.Append('\n').ToString());
    }

    /// <summary>The ModelMesh-script style summary: file counts and a tree of the generated folders.</summary>
    public static string ModelMeshSummary(WorkspaceLayout layout, Plan plan)
    {
        var planned = plan.Items.Where(i => i.Status == ItemStatuses.Ok).ToList();
        var originals = planned.Sum(i => CountFiles(layout.Original(i.Namespace, i.Name)));
        var generated = planned.Sum(i => CountFiles(layout.Absolute(i.ApplyDir)));
        var text = new StringBuilder();
        text.Append("DRY-RUN SUMMARY\n===============\n\n");
        text.Append("All YAML resources have been saved to: ").Append(layout.Root).Append("\n\n");
        text.Append("Resources saved:\n");
        text.Append("  - Original ModelMesh resources:  ").Append(originals).Append(" files\n");
        text.Append("  - New KServe Raw resources:      ").Append(generated).Append(" files\n\n");
        text.Append("Directory structure:\n");
        var (tree, dirs, files) = Tree(layout, planned);
        text.Append(tree).Append('\n').Append("  ").Append(dirs).Append(" directories, ").Append(files).Append(" files\n\n");
        return SecretRedaction.Text(text.ToString());
    }

    private static int CountFiles(string dir) => Directory.Exists(dir) ? Directory.GetFiles(dir).Length : 0;

    /// <summary>namespace / isvc / {original, apply folder} with their files, drawn like 'tree'.</summary>
    private static (string Tree, int Dirs, int Files) Tree(WorkspaceLayout layout, List<PlanItem> planned)
    {
        var text = new StringBuilder("  ").Append(layout.Root).Append('\n');
        int dirs = 0, files = 0;
        var namespaces = planned.GroupBy(i => i.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        for (var n = 0; n < namespaces.Count; n++)
        {
            var lastNs = n == namespaces.Count - 1;
            Line(text, "", lastNs, namespaces[n].Key);
            dirs++;
            var isvcs = namespaces[n].OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
            for (var i = 0; i < isvcs.Count; i++)
            {
                var lastIsvc = i == isvcs.Count - 1;
                var nsIndent = lastNs ? "    " : "│   ";
                Line(text, nsIndent, lastIsvc, isvcs[i].Name);
                dirs++;
                var folders = new[] { layout.Original(isvcs[i].Namespace, isvcs[i].Name), layout.Absolute(isvcs[i].ApplyDir) };
                for (var f = 0; f < folders.Length; f++)
                {
                    var lastFolder = f == folders.Length - 1;
                    var isvcIndent = nsIndent + (lastIsvc ? "    " : "│   ");
                    Line(text, isvcIndent, lastFolder, Path.GetFileName(folders[f]));
                    dirs++;
                    var names = Directory.Exists(folders[f]) ? Directory.GetFiles(folders[f]).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
                    for (var k = 0; k < names.Count; k++)
                    {
                        Line(text, isvcIndent + (lastFolder ? "    " : "│   "), k == names.Count - 1, names[k]!);
                        files++;
                    }
                }
            }
        }

        return (text.ToString(), dirs, files);
    }

    private static void Line(StringBuilder text, string indent, bool last, string name) =>
        text.Append("  ").Append(indent).Append(last ? "└── " : "├── ").Append(name).Append('\n');
}
