using System.Text.Json.Nodes;

namespace OdhMigration.Core.Manifests;

/// <summary>One YAML document parsed into a JSON tree, with where it came from (for error messages).</summary>
public sealed record YamlDocument(JsonNode? Root, string Source, int Line);
