using System.Text.RegularExpressions;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Schema;
using OdhMigration.Simulator.Store;

namespace OdhMigration.Simulator.Admission;

/// <summary>
/// metadata.name as the API server checks it on create (k8s.io/apimachinery pkg/api/validation objectmeta.go
/// ValidateObjectMeta with each kind's name rule, messages from pkg/util/validation/validation.go): a Namespace name
/// is an RFC 1123 label (pkg/apis/core/validation ValidateNamespaceName), a Service name a DNS-1035 label
/// (ValidateServiceName), RBAC names a path segment (pkg/apis/rbac/validation ValidateRBACName), everything else,
/// custom resources included (apiextensions-apiserver customresource validator), an RFC 1123 subdomain.
/// </summary>
internal static partial class NameValidation
{
    private const string SubdomainFormat = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1035Format = "[a-z]([-a-z0-9]*[a-z0-9])?";

    public static void Validate(ResourceKind kind, string name)
    {
        if (name.Length == 0)
        {
            throw FieldError.ToInvalid(kind, name, [FieldError.Required("metadata.name", "name or generateName is required")]);
        }

        var problems = kind.Group == "rbac.authorization.k8s.io" ? PathSegment(name)
            : kind.Group.Length == 0 && kind.Kind == "Namespace" ? Label(name, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", LabelFormat, Dns1123Label(), "'my-name',  or '123-abc'")
            : kind.Group.Length == 0 && kind.Kind == "Service" ? Label(name, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", Dns1035Format, Dns1035Label(), "'my-name',  or 'abc-123'")
            : Subdomain(name);
        if (problems.Count > 0)
        {
            var value = System.Text.Json.Nodes.JsonValue.Create(name);
            throw FieldError.ToInvalid(kind, name, problems.Select(p => FieldError.Invalid("metadata.name", value, p)).ToList());
        }
    }

    private static List<string> Subdomain(string name)
    {
        var problems = new List<string>();
        if (name.Length > 253)
        {
            problems.Add("must be no more than 253 characters");
        }

        if (!Dns1123Subdomain().IsMatch(name))
        {
            problems.Add($"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '{SubdomainFormat}')");
        }

        return problems;
    }

    private static List<string> Label(string name, string message, string format, Regex regex, string examples)
    {
        var problems = new List<string>();
        if (name.Length > 63)
        {
            problems.Add("must be no more than 63 characters");
        }

        if (!regex.IsMatch(name))
        {
            problems.Add($"{message} (e.g. {examples}, regex used for validation is '{format}')");
        }

        return problems;
    }

    private static List<string> PathSegment(string name)
    {
        if (name is "." or "..")
        {
            return [$"may not be '{name}'"];
        }

        return new[] { "/", "%" }.Where(c => name.Contains(c, StringComparison.Ordinal)).Select(c => $"may not contain '{c}'").ToList();
    }

    [GeneratedRegex("^" + SubdomainFormat + "$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^" + LabelFormat + "$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^" + Dns1035Format + "$")]
    private static partial Regex Dns1035Label();
}
