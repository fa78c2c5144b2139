using System.Text.Json;
using System.Text.Json.Serialization;

namespace OdhMigration.Core.Reporting;

/// <summary>
/// Marks a workspace-document field as text for people (a warning, an error, a change description, a condition
/// message): it passes through <see cref="SecretRedaction"/> as it is written, so a credential a message quotes
/// (a storageUri's user:password, a token) never reaches the file, and the document's sha256 is over what is on disk.
/// Fields stages act on (names, paths, hashes, uids) and the manifests that are applied never carry it.
/// </summary>
public sealed class RedactedTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(SecretRedaction.Text(value));
}

/// <summary>The list form of <see cref="RedactedTextConverter"/> (warnings, blockers, changes, remedies).</summary>
public sealed class RedactedTextListConverter : JsonConverter<List<string>>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected a list of strings, found {reader.TokenType}");
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"expected a string, found {reader.TokenType}"));
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var text in value)
        {
            writer.WriteStringValue(SecretRedaction.Text(text));
        }

        writer.WriteEndArray();
    }
}
