using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.Apply;
using OdhMigration.Core.Tests.TestDoubles;
using OdhMigration.Core.Workspace;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Hostile;

/// <summary>
/// The one place names and recorded paths become workspace paths: only names the API server accepts for the kind,
/// only paths that stay under the root, never through a symbolic link.
/// </summary>
public sealed class WorkspacePathTests : IDisposable
{
    private readonly string _parent = Path.Combine(Path.GetTempPath(), "odh-hostile-" + Guid.NewGuid().ToString("N")[..10]);

    public WorkspacePathTests()
    {
        Directory.CreateDirectory(Path.Combine(_parent, "ws"));
        Directory.CreateDirectory(Path.Combine(_parent, "sentinel"));
        File.WriteAllText(Path.Combine(_parent, "sentinel", "keep.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keep, namespace: p}\n");
        Layout = new WorkspaceLayout(Path.Combine(_parent, "ws"));
    }

    private WorkspaceLayout Layout { get; }

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Theory]
    [InlineData("..", "m")]
    [InlineData("../sentinel", "m")]
    [InlineData("/tmp", "m")]
    [InlineData("p", "../../sentinel")]
    [InlineData("p", "/etc")]
    [InlineData("p", "a/b")]
    [InlineData("p", "a\0b")]
    [InlineData("P", "m")]
    public void Isvc_folders_are_refused_for_names_the_api_server_refuses(string ns, string name)
    {
        var ex = Assert.Throws<WorkspacePathException>(() => Layout.IsvcDir(ns, name));
        Assert.Contains("metadata.name", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ns == "p" ? "InferenceService" : "Namespace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nul_in_a_name_is_shown_as_an_escape()
    {
        var ex = Assert.Throws<WorkspacePathException>(() => Layout.IsvcDir("p", "a\0b"));
        Assert.Contains("a\\u0000b", ex.Message, StringComparison.Ordinal);
        Assert.Contains("U+0000", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Secret", "../../../sentinel/x")]
    [InlineData("ServingRuntime", "/abs/path")]
    [InlineData("ServiceAccount", "..")]
    [InlineData("RoleBinding", "a/b")]
    [InlineData("Role", "..")]
    public void Object_files_are_refused_for_names_that_are_paths(string kind, string name)
    {
        var folder = Path.Combine(Layout.Root, "p", "m", "original");
        var ex = Assert.Throws<WorkspacePathException>(() => Layout.ObjectFile(folder, kind, name, "p", ManifestFileNames.For(kind, name)));
        Assert.Contains($"{kind} 'p/{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rbac_names_with_colons_are_accepted_as_the_api_server_accepts_them()
    {
        var folder = Path.Combine(Layout.Root, "p", "m", "original");
        var path = Layout.ObjectFile(folder, "RoleBinding", "system:image-pullers", "p", ManifestFileNames.For("RoleBinding", "system:image-pullers"));
        Assert.StartsWith(Layout.Root + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../sentinel/keep.yaml")]
    [InlineData("p/../../sentinel/keep.yaml")]
    [InlineData("/etc/passwd")]
    [InlineData("p/m/raw/\0x.yaml")]
    [InlineData("")]
    public void Recorded_paths_outside_the_workspace_are_refused(string recorded)
    {
        var ex = Assert.Throws<WorkspacePathException>(() => Layout.Absolute(recorded));
        Assert.Contains("refusing to use it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recorded_paths_inside_the_workspace_are_accepted()
    {
        Assert.Equal(Path.Combine(Layout.Root, "p", "m", "raw", "60-inferenceservice-m.yaml"), Layout.Absolute("p/m/raw/60-inferenceservice-m.yaml"));
        Assert.Equal(Path.Combine(Layout.Root, "p", "m"), Layout.Absolute("p/x/../m"));
    }

    [Fact]
    public void A_symbolic_link_inside_the_workspace_is_refused_not_followed()
    {
        Directory.CreateDirectory(Path.Combine(Layout.Root, "p", "m"));
        Directory.CreateSymbolicLink(Path.Combine(Layout.Root, "p", "m", "raw"), Path.Combine(_parent, "sentinel"));
        var ex = Assert.Throws<WorkspacePathException>(() => Layout.Raw("p", "m"));
        Assert.Contains("p/m/raw in workspace", ex.Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.Throws<WorkspacePathException>(() => Layout.Absolute("p/m/raw/keep.yaml"));
    }

    [Fact]
    public void A_dangling_symbolic_link_is_refused_too()
    {
        Directory.CreateDirectory(Path.Combine(Layout.Root, "p"));
        File.CreateSymbolicLink(Path.Combine(Layout.Root, "p", "m"), Path.Combine(_parent, "not-there"));
        Assert.Throws<WorkspacePathException>(() => Layout.IsvcDir("p", "m"));
        Assert.False(Path.Exists(Path.Combine(_parent, "not-there")));
    }

    [Fact]
    public async Task Plan_gate_refuses_a_plan_file_path_outside_the_workspace_even_with_a_matching_sha256()
    {
        var outside = Path.Combine(_parent, "sentinel", "keep.yaml");
        var text = await File.ReadAllTextAsync(outside, TestContext.Current.CancellationToken);
        var plan = new Plan
        {
            Items =
            [
                new PlanItem
                {
                    Namespace = "p", Name = "m", SourceMode = "Serverless", Status = "ok",
                    Files = [new PlannedFile("../sentinel/keep.yaml", Hashing.Sha256Hex(text), "ConfigMap", "keep", "p")],
                },
            ],
        };

        var ex = await Assert.ThrowsAsync<WorkspacePathException>(() => PlanGate.LoadAsync(Layout, plan, TestContext.Current.CancellationToken));
        Assert.Contains("../sentinel/keep.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("leads outside the workspace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_backup_path_outside_the_workspace_fails_only_that_item()
    {
        var ex = Assert.Throws<ItemFailedException>(() => BackupFile.Load(Layout, "../sentinel/keep.yaml", "ConfigMap", "p", "keep"));
        Assert.Contains("backup of ConfigMap p/keep", ex.Message, StringComparison.Ordinal);
        Assert.Contains("outside the workspace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_workspace_helpers_still_build_valid_paths()
    {
        using var ws = new PlanWorkspace();
        Assert.StartsWith(ws.Layout.Root, ws.Layout.Original("p", "m"), StringComparison.Ordinal);
    }
}
