namespace OdhMigration.Core.Manifests;

/// <summary>A Kubernetes resource type as the REST API addresses it.</summary>
public sealed record ResourceKind(string Group, string Version, string Kind, string Plural, bool Namespaced, IReadOnlyList<string> ShortNames)
{
    public ResourceKind(string group, string version, string kind, string plural, bool namespaced)
        : this(group, version, kind, plural, namespaced, Array.Empty<string>())
    {
    }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The collection path, e.g. /apis/serving.kserve.io/v1beta1/namespaces/ns/inferenceservices.</summary>
    public string CollectionPath(string? ns)
    {
        var prefix = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && ns is not null ? $"{prefix}/namespaces/{ns}/{Plural}" : $"{prefix}/{Plural}";
    }

    public string ItemPath(string? ns, string name) => $"{CollectionPath(ns)}/{name}";

    public override string ToString() => GroupResource;

    // A record compares a list member by reference: two registrations of the same CRD (each with its own short-name
    // array) would be different dictionary keys. Short names compare by content.
    public bool Equals(ResourceKind? other) =>
        other is not null
        && Group == other.Group && Version == other.Version && Kind == other.Kind && Plural == other.Plural && Namespaced == other.Namespaced
        && ShortNames.SequenceEqual(other.ShortNames, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Group, Version, Kind, Plural, Namespaced, ShortNames.Count);
}
