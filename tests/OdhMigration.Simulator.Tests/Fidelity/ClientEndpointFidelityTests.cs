using System.Text.Json.Nodes;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// Endpoints clients call besides resources, through kubectl and the official Python client. Upstream:
/// kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go (handleRootHealth),
/// pkg/registry/authorization/selfsubjectrulesreview/rest.go, pkg/registry/authentication/selfsubjectreview/rest.go.
/// </summary>
public sealed class ClientEndpointFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    [Theory]
    [InlineData("healthz", new[] { "ping", "log", "etcd" })]
    [InlineData("livez", new[] { "ping", "log", "etcd" })]
    [InlineData("readyz", new[] { "ping", "log", "etcd", "etcd-readiness", "informer-sync", "shutdown" })]
    public async Task Health_endpoints_answer_ok_and_list_their_checks_when_verbose(string endpoint, string[] checks)
    {
        var plain = await sim.PythonAsync("GET", "/" + endpoint);
        Assert.Equal(200, plain.Status);
        Assert.Equal("ok", plain.Body!.GetValue<string>());

        var verbose = await sim.KubectlAsync(null, "get", "--raw", $"/{endpoint}?verbose");
        Assert.True(verbose.ExitCode == 0, verbose.StandardError);
        Assert.Equal(string.Concat(checks.Select(c => $"[+]{c} ok\n")) + $"{endpoint} check passed\n", verbose.StandardOutput);

        var single = await sim.KubectlAsync(null, "get", "--raw", $"/{endpoint}/etcd");
        Assert.Equal("ok", single.StandardOutput);
        Assert.Equal(404, (await sim.PythonAsync("GET", $"/{endpoint}/no-such-check")).Status);
    }

    [Fact]
    public async Task Auth_whoami_names_the_simulated_user()
    {
        var python = await sim.PythonAsync("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "SelfSubjectReview" }, "application/json");
        Assert.Equal(201, python.Status);
        Assert.Equal("system:serviceaccount:simulator", python.Body!["status"]!["userInfo"]!["username"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(null, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
        Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
        Assert.Equal("system:serviceaccount:simulator", kubectl.StandardOutput);
    }

    [Fact]
    public async Task Auth_can_i_list_shows_the_rules_allowed_in_the_namespace()
    {
        var before = sim.Host.Access.Rules;
        try
        {
            sim.Host.Access.Rules = new AccessRules(
                [new AccessRule("get", "serving.kserve.io", "inferenceservices", "proj"), new AccessRule("list", "", "secrets", "other")],
                Default: false);
            var python = await sim.PythonAsync("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", JsonNode.Parse("""{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"proj"}}"""), "application/json");
            Assert.Equal(201, python.Status);
            Assert.Equal("""[{"verbs":["get"],"apiGroups":["serving.kserve.io"],"resources":["inferenceservices"]}]""", python.Body!["status"]!["resourceRules"]!.ToJsonString());
            Assert.False(python.Body["status"]!["incomplete"]!.GetValue<bool>());

            var kubectl = await sim.KubectlAsync(null, "auth", "can-i", "--list", "-n", "proj");
            Assert.True(kubectl.ExitCode == 0, kubectl.StandardError);
            var rows = kubectl.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(rows, r => r.StartsWith("inferenceservices.serving.kserve.io", StringComparison.Ordinal) && r.TrimEnd().EndsWith("[get]", StringComparison.Ordinal));
            Assert.DoesNotContain(rows, r => r.StartsWith("secrets", StringComparison.Ordinal));
        }
        finally
        {
            sim.Host.Access.Rules = before;
        }
    }
}
