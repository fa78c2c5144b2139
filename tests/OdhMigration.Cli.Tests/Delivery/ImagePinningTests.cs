using System.Diagnostics;
using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.DeliveryGen;

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
        "odh-migration-summary" or "odh-migration-report" => "migrate",
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
        // The reusable workflow migrates namespaces; dsc-finalize and rollback are run on their own (their actions take an image input).
        foreach (var stage in StageDelivery.All.Where(s => s.Stage is not ("dsc-finalize" or "rollback")))
        {
            Assert.Equal(stage.DefaultImage, workflow.Str("on", "workflow_call", "inputs", $"image-{stage.Stage}", "default"));
        }
    }

    private static readonly string[] Tools = ["odh-apply", "odh-cleanup", "odh-discover", "odh-dsc-finalize", "odh-export", "odh-migrate", "odh-rollback", "odh-transform", "odh-validate"];

    private static string FakeDigest(string tool) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tool)));

    [Fact]
    public void The_release_bundle_pins_every_tools_image_by_digest_in_every_task_stepaction_and_pipeline()
    {
        var dir = Directory.CreateTempSubdirectory("odh-bundle-").FullName;
        try
        {
            var digests = Path.Combine(dir, "digests.txt");
            File.WriteAllLines(digests, Tools.Select(t => $"{t} {FakeDigest(t)}"));
            var bundle = Path.Combine(dir, "bundle.yaml");
            var (code, output) = Bash(".ci/release-bundle.sh", digests, "registry.example/mirror", StageDelivery.Version, bundle);
            Assert.True(code == 0, output);

            var docs = Yaml.ParseDocuments(File.ReadAllText(bundle), bundle).Select(d => d.Root).OfType<JsonObject>().ToList();
            var expected = new[] { "task", "stepaction", "pipeline" }.Sum(f => Directory.GetFiles(RepoPaths.Combine("tekton", f), "*.yaml", SearchOption.AllDirectories).Length);
            Assert.Equal(expected, docs.Count);
            var images = docs.SelectMany(d => d.Items("spec", "params")).Where(p => p.Str("name")!.StartsWith("image", StringComparison.Ordinal)).Select(p => p.Str("default")!).ToList();
            Assert.Equal(docs.Count(d => d.Str("kind") is "Task" or "StepAction") + docs.Where(d => d.Str("kind") == "Pipeline").Sum(d => d.Items("spec", "params").Count(p => p.Str("name")!.StartsWith("image-", StringComparison.Ordinal))), images.Count);
            Assert.All(images, image =>
            {
                var tool = image["registry.example/mirror/".Length..image.IndexOf('@', StringComparison.Ordinal)];
                Assert.Equal($"registry.example/mirror/{tool}@{FakeDigest(tool)}", image);
            });

            // A tool without a digest, or files whose version is not the release's, stop the bundle.
            File.WriteAllLines(digests, Tools.Where(t => t != "odh-migrate").Select(t => $"{t} {FakeDigest(t)}"));
            (code, output) = Bash(".ci/release-bundle.sh", digests, "registry.example/mirror", StageDelivery.Version, bundle);
            Assert.NotEqual(0, code);
            Assert.Contains("no digest for odh-migrate", output, StringComparison.Ordinal);
            File.WriteAllLines(digests, Tools.Select(t => $"{t} {FakeDigest(t)}"));
            (code, output) = Bash(".ci/release-bundle.sh", digests, "registry.example/mirror", "9.9.9", bundle);
            Assert.NotEqual(0, code);
            Assert.Contains("is not ghcr.io/odh-migration-tasks/", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_release_build_refuses_a_tag_only_base_image()
    {
        var dir = Directory.CreateTempSubdirectory("odh-base-").FullName;
        try
        {
            var env = Path.Combine(dir, "base-image.env");
            File.WriteAllText(env, $"BASE_IMAGE_TAG={ImageFile.BaseImage}\nBASE_IMAGE_DIGEST=\n");
            Assert.NotEqual(0, Bash(".ci/check-base-image.sh", "--release", env).Code);
            var (code, output) = Bash(".ci/check-base-image.sh", env);
            Assert.Equal(0, code);
            Assert.Equal(ImageFile.BaseImage, output.Split('\n')[0]);

            var digest = "sha256:" + new string('0', 64);
            File.WriteAllText(env, $"BASE_IMAGE_TAG={ImageFile.BaseImage}\nBASE_IMAGE_DIGEST={digest}\n");
            (code, output) = Bash(".ci/check-base-image.sh", "--release", env);
            Assert.True(code == 0, output);
            Assert.Equal($"{ImageFile.BaseImage}@{digest}", output.Trim());

            File.WriteAllText(env, $"BASE_IMAGE_TAG={ImageFile.BaseImage}\nBASE_IMAGE_DIGEST=sha256:abc\n");
            Assert.NotEqual(0, Bash(".ci/check-base-image.sh", "--release", env).Code);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        // The committed file names the same base the Dockerfiles default to.
        Assert.Contains($"BASE_IMAGE_TAG={ImageFile.BaseImage}\n", File.ReadAllText(RepoPaths.Combine("images", "base-image.env")), StringComparison.Ordinal);
    }

    /// <summary>Runs a repository script with bash; stdout, then stderr, as one text.</summary>
    private static (int Code, string Output) Bash(string script, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo("bash", [RepoPaths.Combine(script.Split('/')), .. args])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
