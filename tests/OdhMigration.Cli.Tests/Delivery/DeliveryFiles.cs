using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>Reads the committed delivery YAML files as JsonNode trees.</summary>
internal static class DeliveryFiles
{
    public static JsonObject Single(params string[] relative)
    {
        var path = RepoPaths.Combine(relative);
        Assert.True(File.Exists(path), $"missing {string.Join('/', relative)}");
        return Assert.IsType<JsonObject>(Yaml.ParseSingle(File.ReadAllText(path), path));
    }

    public static IReadOnlyList<JsonObject> All(params string[] relative)
    {
        var path = RepoPaths.Combine(relative);
        return Yaml.ParseDocuments(File.ReadAllText(path), path).Select(d => d.Root).OfType<JsonObject>().ToList();
    }

    public static JsonObject Task(string name) => Single("tekton", "task", name, $"{name}.yaml");

    public static JsonObject StepAction(string name) => Single("tekton", "stepaction", name, $"{name}.yaml");

    public static JsonObject Pipeline(string folder, string name) => Single("tekton", "pipeline", folder, $"{name}.yaml");

    public static IEnumerable<JsonObject> Items(this JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            current = current?[key];
        }

        return current is JsonArray array ? array.OfType<JsonObject>() : [];
    }

    public static string? Str(this JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            current = current?[key];
        }

        return current?.GetValueKind() == System.Text.Json.JsonValueKind.String ? current.GetValue<string>() : current?.ToJsonString();
    }

    public static IReadOnlyList<string> Strings(this JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            current = current?[key];
        }

        return current is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToList() : [];
    }

    public static JsonObject PipelineTask(this JsonObject pipeline, string name) =>
        pipeline.Items("spec", "tasks").Concat(pipeline.Items("spec", "finally")).SingleOrDefault(t => t.Str("name") == name)
        ?? throw new Xunit.Sdk.XunitException($"pipeline {pipeline.Str("metadata", "name")} has no task {name}");

    public static string? ParamValue(this JsonObject pipelineTask, string param) =>
        pipelineTask.Items("params").SingleOrDefault(p => p.Str("name") == param)?.Str("value");
}
