namespace OdhMigration.Core.Stages.Discover;

/// <summary>
/// Kubernetes names are DNS-1123 labels of at most 63 characters, and KServe derives further names from the ISVC
/// name (Deployment/Service <c>&lt;name&gt;-predictor</c>, <c>-transformer</c>, <c>-explainer</c>), so the ISVC name must
/// leave room for the longest suffix it will need.
/// </summary>
public static class NameLimits
{
    public const int MaxLabel = 63;
    public const string RawSuffix = "-raw";

    public static int MaxIsvcName(bool hasTransformer, bool hasExplainer) =>
        MaxLabel - (hasTransformer ? "-transformer".Length : hasExplainer ? "-explainer".Length : "-predictor".Length);

    public static bool IsDns1123Label(string name) =>
        name.Length is > 0 and <= MaxLabel
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);
}
