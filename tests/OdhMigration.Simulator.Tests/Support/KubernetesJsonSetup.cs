using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;

namespace OdhMigration.Simulator.Tests.Support;

/// <summary>
/// KubernetesClient.Aot serialises only the types in its own source-generated context. Untyped bodies
/// (CustomObjects create/replace with a JsonObject) and any object read back with managedFields (FieldsV1 is
/// deserialised as JsonElement) fail with NotSupportedException unless JsonNode/JsonElement metadata is added.
/// The live cluster backing needs the same registration.
/// </summary>
internal static class KubernetesJsonSetup
{
    [ModuleInitializer]
    internal static void Register() => KubernetesJson.AddJsonOptions(o => o.TypeInfoResolverChain.Add(JsonNodeContext.Default));
}

[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class JsonNodeContext : JsonSerializerContext;
