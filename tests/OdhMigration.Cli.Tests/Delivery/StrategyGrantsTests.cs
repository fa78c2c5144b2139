using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.Cli.Tests.Commands;
using OdhMigration.Core.Common;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>
/// pipelineruns writes the optional grants (tekton/rbac/optional/) a namespace's strategy needs, moved to that
/// namespace and its target, instead of leaving them to a hand-run sed.
/// </summary>
public sealed class StrategyGrantsTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("odh-grants-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var result = await CliHarness.RunAsync(UmbrellaCommand.Create, args);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    private async Task DiscoverAsync(string sample, string ns)
    {
        var (code, _, stderr) = await RunAsync("discover", "--workspace", _workspace, "--snapshot", RepoPaths.Combine("samples", sample), "-n", ns);
        Assert.True(code == 0, stderr);
    }

    private async Task<List<JsonObject>> SetupAsync(params string[] extra)
    {
        var (code, stdout, stderr) = await RunAsync(["pipelineruns", "--workspace", _workspace, "--approvers", "alice", .. extra]);
        Assert.True(code == 0, stderr);
        return [.. Yaml.ParseDocuments(stdout, "stdout").Select(d => Assert.IsType<JsonObject>(d.Root))];
    }

    private static JsonObject Named(IEnumerable<JsonObject> documents, string kind, string name, string? ns = null) =>
        Assert.Single(documents, d => d.Str("kind") == kind && d.Str("metadata", "name") == name && d.Str("metadata", "namespace") == ns);

    private static JsonObject Template(string file, string kind, string name) =>
        Assert.Single(DeliveryFiles.All("tekton", "rbac", "optional", file), d => d.Str("kind") == kind && d.Str("metadata", "name") == name);

    [Fact]
    public async Task Side_by_side_needs_no_optional_grant()
    {
        await DiscoverAsync("serverless-basic.yaml", "fraud-detection");
        var documents = await SetupAsync("--strategy", "side-by-side");
        Assert.DoesNotContain(documents, d => d.Str("kind") is "ClusterRole" or "ClusterRoleBinding" or "Role");
        Assert.DoesNotContain(documents, d => d.Str("metadata", "name") == "odh-migration-replace");
    }

    [Fact]
    public async Task In_place_serverless_gets_the_replace_binding_and_the_ingress_route_role_but_no_namespace_relabel()
    {
        await DiscoverAsync("serverless-basic.yaml", "fraud-detection");
        var documents = await SetupAsync("--strategy", "in-place", "--pipelines-namespace", "migrations", "--service-account-prefix", "acme-");

        var binding = Named(documents, "RoleBinding", "odh-migration-replace", "fraud-detection");
        Assert.Equal("odh-migration-replace", binding.Str("roleRef", "name"));
        Assert.Equal(("acme-apply", "migrations"), (binding.Items("subjects").Single().Str("name"), binding.Items("subjects").Single().Str("namespace")));
        Assert.Equal("fraud-detection", binding.Str("metadata", "labels", PipelineRunBuilder.NamespaceLabel));

        // The ClusterRole is the same for every namespace: no namespace label another namespace's setup would flip.
        var role = Named(documents, "ClusterRole", "odh-migration-replace");
        Assert.Equal(Template("in-place.yaml", "ClusterRole", "odh-migration-replace")["rules"]!.ToJsonString(), role["rules"]!.ToJsonString());
        Assert.Null(role.Str("metadata", "labels", PipelineRunBuilder.NamespaceLabel));
        Assert.Equal(PipelineRunBuilder.PartOf, role.Str("metadata", "labels", PipelineRunBuilder.PartOfLabel));

        Named(documents, "Role", "odh-migration-replace-ingress-routes", "istio-system");
        Assert.Equal("acme-apply", Named(documents, "RoleBinding", "odh-migration-replace-ingress-routes", "istio-system").Items("subjects").Single().Str("name"));
        Assert.DoesNotContain(documents, d => d.Str("metadata", "name")?.StartsWith("odh-migration-relabel-namespace-", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task In_place_modelmesh_gets_a_relabel_role_limited_to_that_one_namespace_and_no_ingress_role()
    {
        await DiscoverAsync("modelmesh-team.yaml", "mm-models");
        var documents = await SetupAsync("--strategy", "in-place");

        var role = Named(documents, "ClusterRole", "odh-migration-relabel-namespace-mm-models");
        var rule = role.Items("rules").Single();
        Assert.Equal(["mm-models"], rule.Strings("resourceNames"));
        Assert.Equal(["get", "patch"], rule.Strings("verbs"));
        var binding = Named(documents, "ClusterRoleBinding", "odh-migration-relabel-namespace-mm-models");
        Assert.Equal("odh-migration-relabel-namespace-mm-models", binding.Str("roleRef", "name"));
        Assert.Equal("odh-migration-apply", binding.Items("subjects").Single().Str("name"));
        Assert.DoesNotContain(documents, d => d.Str("metadata", "namespace") == "istio-system");
        Assert.DoesNotContain(documents, d => d.Items("rules").Any(r => r.Strings("resourceNames").Contains("fraud-detection")));
    }

    [Fact]
    public async Task Modelmesh_default_strategy_without_a_target_is_refused_naming_the_namespace_and_the_option()
    {
        await DiscoverAsync("modelmesh-team.yaml", "mm-models");
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal("", stdout);
        Assert.Contains("mm-models", stderr, StringComparison.Ordinal);
        Assert.Contains("--target-namespace-template", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_namespace_binds_every_stage_in_the_target_and_limits_the_namespace_role_to_it()
    {
        await DiscoverAsync("modelmesh-team.yaml", "mm-models");
        var documents = await SetupAsync("--target-namespace-template", "{namespace}-raw");

        var run = Assert.Single(documents, d => d.Str("kind") == "PipelineRun");
        Assert.Equal("mm-models-raw", run.Items("spec", "params").Single(p => p.Str("name") == "target-namespace").Str("value"));
        var declared = DeliveryFiles.Pipeline("migrate-namespace", run.Str("spec", "pipelineRef", "name")!).Items("spec", "params").Select(p => p.Str("name"));
        Assert.Contains("target-namespace", declared);

        var expected = DeliveryFiles.All("tekton", "rbac", "namespace-bindings.yaml").Select(b => b.Str("metadata", "name")).Order();
        Assert.Equal(expected, documents.Where(d => d.Str("kind") == "RoleBinding" && d.Str("metadata", "namespace") == "mm-models-raw").Select(b => b.Str("metadata", "name")).Order());
        Assert.Equal(expected, documents.Where(d => d.Str("kind") == "RoleBinding" && d.Str("metadata", "namespace") == "mm-models").Select(b => b.Str("metadata", "name")).Order());

        var target = Named(documents, "ClusterRole", "odh-migration-target-namespace-mm-models-raw");
        Assert.Equal(["mm-models-raw"], target.Items("rules").Single().Strings("resourceNames"));
        Assert.Equal("odh-migration-target-namespace-mm-models-raw", Named(documents, "ClusterRoleBinding", "odh-migration-target-namespace-mm-models-raw").Str("roleRef", "name"));
        var create = Named(documents, "ClusterRole", "odh-migration-create-namespace");
        Assert.Equal(Template("new-namespace.yaml", "ClusterRole", "odh-migration-create-namespace")["rules"]!.ToJsonString(), create["rules"]!.ToJsonString());
        Assert.DoesNotContain(documents, d => d.Items("rules").Any(r => r.Strings("resourceNames").Contains("fraud-detection-raw")));
    }

    [Fact]
    public async Task A_namespace_in_inventory_json_that_is_no_namespace_name_never_becomes_a_file()
    {
        await DiscoverAsync("serverless-basic.yaml", "fraud-detection");
        var inventory = Path.Combine(_workspace, "inventory.json");
        await File.WriteAllTextAsync(inventory, (await File.ReadAllTextAsync(inventory, TestContext.Current.CancellationToken)).Replace("\"fraud-detection\"", "\"../escaped\"", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var outDir = Path.Combine(_workspace, "out");
        var (code, stdout, stderr) = await RunAsync("pipelineruns", "--workspace", _workspace, "--approvers", "alice", "--out-dir", outDir);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal("", stdout);
        Assert.Contains("inventory.json: namespace '../escaped'", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
        Assert.False(File.Exists(Path.Combine(_workspace, "escaped.yaml")));
    }

    [Theory]
    [InlineData("same", 2, "would move 2 namespaces into one")]
    [InlineData("{namespace}", 1, "use --strategy in-place")]
    [InlineData("{namespace}-UPPER", 1, "not a valid namespace name")]
    public void A_target_that_merges_namespaces_or_is_no_namespace_name_is_a_usage_error(string pattern, int namespaces, string message)
    {
        var error = Assert.Throws<UsageException>(() => StrategyGrants.TargetFor("team-a", pattern, namespaces));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("--target-namespace-template", error.Message, StringComparison.Ordinal);
        Assert.Equal("team-a-raw", StrategyGrants.TargetFor("team-a", "{namespace}-raw", 3));
        Assert.Equal("only-one", StrategyGrants.TargetFor("team-a", "only-one", 1));
    }
}
