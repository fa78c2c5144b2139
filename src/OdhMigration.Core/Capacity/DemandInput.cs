using System.Text.Json.Nodes;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Capacity;

/// <summary>
/// What <see cref="DemandCalculator"/> reads for one ISVC: the ISVC as it runs now, its mode (Serverless, ModelMesh,
/// ...), the ServingRuntime it runs on (null when it was not found) and, when pods could be listed, the pods of its
/// namespace or just those labelled for it (to say what a Serverless original holds; the calculator filters by label).
/// <paramref name="StorageInitializer"/> sizes the containers KServe's pod webhook injects for the predictor's storageUri;
/// null leaves them out (export always passes what it read, or KServe's defaults).
/// </summary>
public sealed record DemandInput(JsonObject Isvc, string SourceMode, string? RuntimeName, JsonObject? Runtime, IReadOnlyList<JsonObject>? Pods, StorageInitializerSettings? StorageInitializer = null);
