using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>
/// Supply chain and private-cluster wiring of the workflows: third-party actions pinned by commit SHA, packages: write
/// only on jobs that push, SBOM and provenance on pushed images, runner labels as an input, and workspace artifacts
/// that never carry Secret data.
/// </summary>
public sealed partial class GitHubSupplyChainTests
{
    public static TheoryData<string> WorkflowAndActionFiles => [.. Directory.GetFiles(RepoPaths.Combine(".github", "workflows"), "*.yml")
        .Concat(Directory.GetFiles(RepoPaths.Combine("github-actions"), "action.yml", SearchOption.AllDirectories))
        .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    private static readonly JsonObject Ci = DeliveryFiles.Single(".github", "workflows", "ci.yml");
    private static readonly JsonObject Workflow = DeliveryFiles.Single(".github", "workflows", "odh-migrate.yml");

    [GeneratedRegex(@"^\s*-?\s*uses:\s*(?<ref>\S+)(?<comment>.*)$", RegexOptions.Multiline)]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")]
    private static partial Regex PinnedBySha();

    [GeneratedRegex(@"^\s*#\s*v\d+(\.\d+)*\s*$")]
    private static partial Regex VersionComment();

    /// <summary>Finds the unpinned 'uses:' lines of a workflow or action text (local actions and docker:// are not third-party pins).</summary>
    internal static IReadOnlyList<string> UnpinnedUses(string text) =>
        [.. UsesLine().Matches(text)
            .Where(m => !m.Groups["ref"].Value.StartsWith("./", StringComparison.Ordinal))
            .Where(m => !PinnedBySha().IsMatch(m.Groups["ref"].Value) || !VersionComment().IsMatch(m.Groups["comment"].Value))
            .Select(m => m.Value.Trim())];

    [Theory]
    [MemberData(nameof(WorkflowAndActionFiles))]
    public void Every_action_is_pinned_by_a_40_hex_commit_sha_with_its_version_in_a_comment(string file)
    {
        var text = File.ReadAllText(RepoPaths.Combine(file.Split('/')));
        Assert.Empty(UnpinnedUses(text));
    }

    [Fact]
    public void The_pin_check_refuses_a_tag_a_short_sha_and_a_missing_version_comment()
    {
        Assert.NotEmpty(UnpinnedUses("      - uses: actions/checkout@v4\n"));
        Assert.NotEmpty(UnpinnedUses("      - uses: actions/checkout@11d5960\n"));
        Assert.NotEmpty(UnpinnedUses("      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262\n"));
        Assert.Empty(UnpinnedUses("      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0\n"));
        Assert.Empty(UnpinnedUses("      - uses: ./github-actions/odh-discover\n"));
    }

    [Fact]
    public void Only_jobs_that_push_hold_packages_write_and_pushed_images_carry_sbom_and_provenance()
    {
        var jobs = Ci["jobs"]!.AsObject();
        var writers = jobs.Where(j => j.Value!.Str("permissions", "packages") == "write").Select(j => j.Key).Order().ToList();
        Assert.Equal(["publish-images", "release"], writers);
        Assert.All(writers, j => Assert.Equal("startsWith(github.ref, 'refs/tags/v')", jobs[j]!.Str("if")));
        Assert.Equal("${{ !startsWith(github.ref, 'refs/tags/v') }}", jobs["images"]!.Str("if"));
        Assert.Null(jobs["images"]!.Str("permissions", "packages"));
        Assert.Equal("write", jobs["bundle"]!.Str("permissions", "contents"));
        Assert.Null(jobs["bundle"]!.Str("permissions", "packages"));
        Assert.Null(jobs["bundle"]!.Str("permissions", "id-token"));

        var build = File.ReadAllText(RepoPaths.Combine(".ci", "build-images.sh"));
        Assert.Contains("--sbom=true --provenance=mode=max", build, StringComparison.Ordinal);
        Assert.Contains("check-base-image.sh\" --release", build, StringComparison.Ordinal);

        // The size check runs in both image jobs, i.e. on release tags too.
        Assert.All(new[] { "images", "publish-images" }, j => Assert.Contains(jobs[j]!.Items("steps"), s => s.Str("run")?.Contains(".ci/build-images.sh", StringComparison.Ordinal) == true));
        Assert.Matches(@"size > 50 \* 1048576", build);
    }

    [Fact]
    public void Jobs_run_on_the_runner_labels_the_caller_gives_with_a_read_only_unprivileged_container()
    {
        Assert.Equal("ubuntu-latest", Workflow.Str("on", "workflow_call", "inputs", "runs-on", "default"));
        foreach (var (name, job) in Workflow["jobs"]!.AsObject())
        {
            Assert.Equal("${{ startsWith(inputs.runs-on, '[') && fromJSON(inputs.runs-on) || inputs.runs-on }}", job.Str("runs-on"));
            var run = job!.Items("steps").Single(s => s.Str("id") == "run").Str("run")!;
            Assert.Contains("--read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges", run, StringComparison.Ordinal);
            Assert.Contains("-e DOTNET_EnableDiagnostics=0", run, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_workspace_upload_waits_for_the_secret_data_guard()
    {
        foreach (var (name, job) in Workflow["jobs"]!.AsObject())
        {
            var steps = job!.Items("steps").ToList();
            var upload = steps.FindIndex(s => s.Str("uses")?.StartsWith("actions/upload-artifact@", StringComparison.Ordinal) == true);
            Assert.True(upload > 0, $"{name} uploads no workspace");
            var guard = steps.FindIndex(s => s.Str("id") == "secret-guard");
            Assert.True(guard >= 0 && guard < upload, $"{name}: the Secret data guard must run before the upload");
            Assert.Equal("always() && steps.secret-guard.outcome == 'success'", steps[upload].Str("if"));
            Assert.Equal(Guard, steps[guard].Str("run"));
        }
    }

    private static string Guard => Workflow["jobs"]!["discover"]!.Items("steps").Single(s => s.Str("id") == "secret-guard").Str("run")!;

    [Fact]
    public void The_guard_passes_data_free_references_and_stops_secret_data()
    {
        Assert.Equal(0, RunGuard(("original/41-token-secret-fraud.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: fraud\ntype: kubernetes.io/service-account-token\n"),
            ("export.json", "{\n  \"secretDataIncluded\": false\n}\n"),
            ("original/60-inferenceservice-fraud.yaml", "kind: InferenceService\ndata: {}\n")));
        Assert.NotEqual(0, RunGuard(("references/10-secret-aws.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  key: c2VjcmV0\n")));
        Assert.NotEqual(0, RunGuard(("references/10-secret-aws.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  key: secret\n")));
        Assert.NotEqual(0, RunGuard(("export.json", "{\n  \"secretDataIncluded\": true\n}\n")));
        Assert.NotEqual(0, RunGuard(("original/41-token-secret-fraud.yaml", "apiVersion: v1\nkind: \"Secret\"\n\"data\":\n  token: dG9rZW4=\n")));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task The_guard_stops_a_real_export_with_secret_data_and_passes_one_without(bool includeSecretData, int expectedExit)
    {
        var dir = Directory.CreateTempSubdirectory("odh-guard-export-").FullName;
        try
        {
            var workspace = Path.Combine(dir, "odh-workspace");
            var sample = RepoPaths.Combine("samples", "serverless-basic.yaml");
            var io = new OdhMigration.Cli.Hosting.CliIo(TextWriter.Null, TextWriter.Null);
            string[] discover = ["discover", "--workspace", workspace, "--snapshot", sample, "-n", "fraud-detection"];
            Assert.Equal(0, await OdhMigration.Cli.Hosting.CliApp.RunAsync(OdhMigration.Cli.Commands.UmbrellaCommand.Create(io), discover, io, TestContext.Current.CancellationToken));
            string[] export = ["export", "--workspace", workspace, "--snapshot", sample, "--include-secret-data", includeSecretData ? "true" : "false"];
            Assert.Equal(0, await OdhMigration.Cli.Hosting.CliApp.RunAsync(OdhMigration.Cli.Commands.UmbrellaCommand.Create(io), export, io, TestContext.Current.CancellationToken));
            Assert.Contains(Directory.GetFiles(workspace, "*secret*.yaml", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("kind: Secret", StringComparison.Ordinal));
            Assert.Equal(expectedExit, RunGuardIn(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int RunGuard(params (string Path, string Text)[] files)
    {
        var dir = Directory.CreateTempSubdirectory("odh-guard-").FullName;
        try
        {
            foreach (var (path, text) in files)
            {
                var full = Path.Combine(dir, "odh-workspace", path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, text);
            }

            return RunGuardIn(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs the workflow's guard step, as GitHub does (bash -e), in a folder holding odh-workspace/.</summary>
    private static int RunGuardIn(string dir)
    {
        var script = Path.Combine(dir, "guard.sh");
        File.WriteAllText(script, Guard);
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo("bash", ["-e", script]) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
