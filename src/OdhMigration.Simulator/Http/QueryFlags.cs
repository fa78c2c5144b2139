using Microsoft.AspNetCore.Http;

namespace OdhMigration.Simulator.Http;

/// <summary>Boolean query parameters as the API server decodes them.</summary>
internal static class QueryFlags
{
    /// <summary>
    /// Only an absent parameter, <c>0</c> or <c>false</c> (any case) is false; anything else, even an empty value, is
    /// true (k8s.io/apimachinery pkg/runtime/conversion.go Convert_Slice_string_To_bool). So <c>watch=True</c>,
    /// <c>watch=1</c> and <c>watch=</c> all start a watch.
    /// </summary>
    public static bool IsSet(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && values[0] is { } first && first != "0" && !string.Equals(first, "false", StringComparison.OrdinalIgnoreCase);
}
