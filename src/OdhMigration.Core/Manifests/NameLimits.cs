namespace OdhMigration.Core.Manifests;

/// <summary>
/// The naming rules the API server and KServe apply. InferenceService and Namespace names are DNS-1123 labels of at
/// most 63 characters, and KServe derives further names from the ISVC name (Deployment/Service
/// <c>&lt;name&gt;-predictor</c>, <c>-transformer</c>, <c>-explainer</c>), so the ISVC name must leave room for the longest
/// suffix it will need. Other objects (ServingRuntimes, ServiceAccounts, Roles, Secrets) are DNS-1123 subdomains:
/// dots allowed, up to 253 characters; a ServingRuntime name is also copied into label values, so at most 63.
/// </summary>
public static class NameLimits
{
    public const int MaxLabel = 63;
    public const int MaxSubdomain = 253;
    public const string RawSuffix = "-raw";

    private static readonly System.Buffers.SearchValues<char> LabelCharacters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    public static int MaxIsvcName(bool hasTransformer, bool hasExplainer) =>
        MaxLabel - (hasTransformer ? "-transformer".Length : hasExplainer ? "-explainer".Length : "-predictor".Length);

    public static bool IsDns1123Label(string name) => LabelProblem(name) is null;

    /// <summary>Why <paramref name="name"/> is not a DNS-1123 label (worded to follow the name), or null when it is one.</summary>
    public static string? LabelProblem(string name) =>
        name.Length == 0 ? "is empty"
        : name.Length > MaxLabel ? $"has {name.Length} characters, over the {MaxLabel}-character limit"
        : PartProblem(name, "a DNS-1123 label (lower-case letters, digits and '-')");

    /// <summary>Why <paramref name="name"/> is not a DNS-1123 subdomain of at most <paramref name="maxLength"/> characters, or null.</summary>
    public static string? SubdomainProblem(string name, int maxLength = MaxSubdomain) =>
        name.Length == 0 ? "is empty"
        : name.Length > maxLength ? $"has {name.Length} characters, over the {maxLength}-character limit"
        : name.Split('.').Select(part => part.Length == 0 ? "has an empty part between dots" : PartProblem(part, "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')")).FirstOrDefault(p => p is not null);

    private static string? PartProblem(string part, string rule)
    {
        // An index, not FirstOrDefault: NUL is the default char and would read as "nothing bad found".
        var at = part.AsSpan().IndexOfAnyExcept(LabelCharacters);
        if (at >= 0)
        {
            return $"contains {Manifests.KubernetesNames.Describe(part[at])}, which {rule} does not allow";
        }

        return char.IsAsciiLetterOrDigit(part[0]) && char.IsAsciiLetterOrDigit(part[^1]) ? null : $"must start and end with a letter or digit to be {rule}";
    }
}
