
namespace OdhMigration.Core.Manifests;

/// <summary>
/// The name rule the API server (and KServe's webhook) applies to each kind, as one decision: namespaces and
/// InferenceServices are DNS-1123 labels, RBAC objects are path-segment names (':' allowed, as in
/// <c>system:image-puller</c>), everything else a DNS-1123 subdomain. None of them can hold '/', '\', NUL or be
/// "." or "..", which is what keeps a name safe to use as a file or folder name.
/// </summary>
public static class KubernetesNames
{
    /// <summary>Why <paramref name="name"/> is not a valid <paramref name="kind"/> name (worded to follow the name), or null.</summary>
    public static string? Problem(string? kind, string name) => kind switch
    {
        "Namespace" or "InferenceService" => NameLimits.LabelProblem(name),
        "Role" or "RoleBinding" or "ClusterRole" or "ClusterRoleBinding" => PathSegmentProblem(name),
        _ => NameLimits.SubdomainProblem(name),
    };

    /// <summary>The apiserver's path-segment rule (RBAC names): no '/', no '%', not "." or ".."; plus printable characters only.</summary>
    public static string? PathSegmentProblem(string name)
    {
        if (name.Length == 0)
        {
            return "is empty";
        }

        if (name.Length > NameLimits.MaxSubdomain)
        {
            return $"has {name.Length} characters, over the {NameLimits.MaxSubdomain}-character limit";
        }

        if (name is "." or "..")
        {
            return $"may not be '{name}'";
        }

        foreach (var c in name)
        {
            if (c is '/' or '\\' or '%' || char.IsControl(c))
            {
                return $"contains {Describe(c)}, which a name may not hold";
            }
        }

        return null;
    }

    /// <summary>Control characters (NUL above all) shown as escapes, so a message never carries them to a terminal or log.</summary>
    public static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) : text;

    /// <summary>A character as a reader can see it: control characters (NUL above all) by their code.</summary>
    public static string Describe(char c) => char.IsControl(c) ? $"the control character U+{(int)c:X4}" : $"'{c}'";
}
