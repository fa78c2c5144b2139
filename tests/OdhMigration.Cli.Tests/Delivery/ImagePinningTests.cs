using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>
/// Every image the Tekton files run can be set per tool (so it can be pinned by digest where users run it), and
/// every default points where .github/workflows/ci.yml publishes the images.
/// </summary>
public sealed class ImagePinningTests
{
    public static TheoryData<string> PipelineFiles => [.. Directory.GetFiles(RepoPaths.Combine("tekton", "pipeline"), "*.yaml", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    /// <summary>Every Task and StepAction file (generated and hand-written) with its steps.</summary>
    public static TheoryData<string> StepFiles => [.. new[] { "task", "stepaction" }
        .SelectMany(folder => Directory.GetFiles(RepoPaths.Combine("tekton", folder), "*.yaml", SearchOption.AllDirectories))
        .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    private static JsonObject Load(string relative) => DeliveryFiles.Single(relative.Split('/'));

    /// <summary>The tool a task of a pipeline runs: odh-&lt;tool&gt; Tasks, and odh-migrate for the summary.</summary>
    private static string? ToolOf(JsonObject pipelineTask) => pipelineTask.Str("taskRef", "name") switch
    {
        "odh-migration-summary" => "migrate",
        { } name when name.StartsWith("odh-", StringComparison.Ordinal) => name[4..],
        _ => null,
    };

    [Theory]
    [MemberData(nameof(PipelineFiles))]
    public void Pipelines_take_one_image_param_per_tool_defaulting_to_the_published_image(string file)
    {
        var pipeline = Load(file);
        var tasks = pipeline.Items("spec", "tasks").Concat(pipeline.Items("spec", "finally")).Where(t => ToolOf(t) is not null).ToList();
        Assert.NotEmpty(tasks);
        var imageParams = pipeline.Items("spec", "params").Where(p => p.Str("name")!.StartsWith("image", StringComparison.Ordinal)).ToDictionary(p => p.Str("name")!, p => p.Str("default"));
        foreach (var task in tasks)
        {
            var tool = ToolOf(task)!;
            Assert.Equal($"$(params.image-{tool})", task.ParamValue("image"));
            Assert.Equal($"{StageDelivery.ImageRepository}/odh-{tool}:{StageDelivery.Version}", imageParams[$"image-{tool}"]);
        }

        // No shared repository/tag params left that would force every tool onto one tag.
        Assert.Equal(tasks.Select(t => "image-" + ToolOf(t)).Distinct().Order(), imageParams.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(StepFiles))]
    public void Every_step_runs_non_root_on_a_read_only_root_with_no_privileges_and_defaults_to_the_published_image(string file)
    {
        var doc = Load(file);
        var steps = doc.Str("kind") == "StepAction" ? [doc["spec"]!.AsObject()] : doc.Items("spec", "steps").ToList();
        Assert.NotEmpty(steps);
        foreach (var step in steps)
        {
            Assert.Equal("true", step.Str("securityContext", "readOnlyRootFilesystem"));
            Assert.Equal("true", step.Str("securityContext", "runAsNonRoot"));
            Assert.Equal("false", step.Str("securityContext", "allowPrivilegeEscalation"));
            Assert.Equal(["ALL"], step.Strings("securityContext", "capabilities", "drop"));
            Assert.Equal("0", step.Items("env").SingleOrDefault(e => e.Str("name") == "DOTNET_EnableDiagnostics")?.Str("value"));
            if (doc.Str("kind") == "Task")
            {
                // /tmp stays writable for the runtime: an emptyDir of the Task, mounted by its step.
                var mount = Assert.Single(step.Items("volumeMounts"), m => m.Str("mountPath") == "/tmp");
                Assert.Contains(doc.Items("spec", "volumes"), v => v.Str("name") == mount.Str("name") && v["emptyDir"] is not null);
            }
        }

        var image = doc.Items("spec", "params").Single(p => p.Str("name") == "image").Str("default")!;
        Assert.StartsWith(StageDelivery.ImageRepository + "/odh-", image, StringComparison.Ordinal);
        Assert.EndsWith(":" + StageDelivery.Version, image, StringComparison.Ordinal);
    }

    [Fact]
    public void Ci_publishes_the_images_where_the_defaults_point()
    {
        var ci = DeliveryFiles.Single(".github", "workflows", "ci.yml");
        Assert.Equal(StageDelivery.ImageRepository, ci.Str("env", "IMAGE_REPOSITORY"));
        var pushes = File.ReadAllText(RepoPaths.Combine(".ci", "build-images.sh"));
        Assert.Contains("image=\"$IMAGE_REPOSITORY/$tool\"", pushes, StringComparison.Ordinal);
        var workflow = DeliveryFiles.Single(".github", "workflows", "odh-migrate.yml");
        foreach (var stage in StageDelivery.All.Where(s => s.Stage != "dsc-finalize"))
        {
            Assert.Equal(stage.DefaultImage, workflow.Str("on", "workflow_call", "inputs", $"image-{stage.Stage}", "default"));
        }
    }
}
