using System.Text.Json.Nodes;
using OdhMigration.Core.Cluster;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Tests.Fidelity.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// The CEL rules of the served CRDs (../shared/crds: ODH operator stable-2.x DSCInitialization and
/// DataScienceCluster, OpenShift Route), through kubectl and the official Python client. Upstream:
/// kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go
/// (validateExpressions: a false rule is <c>field.Invalid(fldPath, sts.Type, ruleMessageOrDefault(rule))</c>, an
/// evaluation error <c>"%v evaluating rule: %v"</c> with ruleErrorString; transition rules only with an old value;
/// validateArray/validateMap: rules under <c>items</c> run on each item, indexed <c>[i]</c>; addErr: a rule without
/// oldSelf that fails on an unchanged value is a warning, <c>warning.AddWarning(ctx, "", e.Error())</c>) and
/// k8s.io/apiserver pkg/cel/common/values.go (an absent field is <c>no such key: &lt;name&gt;</c>).
/// </summary>
public sealed class CelServedRuleFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Dscis = "/apis/dscinitialization.opendatahub.io/v1/dscinitializations";
    private const string Dscs = "/apis/datasciencecluster.opendatahub.io/v1/datascienceclusters";
    private const string Routes = "/apis/route.openshift.io/v1/namespaces/proj/routes";
    private const string AlertingMessage = "Alerting configuration requires metrics.storage or metrics.resources to be configured";

    [Fact]
    public async Task A_dsci_monitoring_rule_refuses_alerting_without_metrics_storage_or_resources()
    {
        // spec.monitoring: has(self.alerting) ? has(self.metrics.storage) || has(self.metrics.resources) : true
        var python = await sim.PythonAsync("POST", Dscis, Dsci("alerting", """{"managementState":"Managed","alerting":{},"metrics":{}}"""), "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.Equal($"DSCInitialization.dscinitialization.opendatahub.io \"alerting\" is invalid: spec.monitoring: Invalid value: \"object\": {AlertingMessage}", python.Message);
        var cause = python.Body!["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("spec.monitoring", cause["field"]!.GetValue<string>());

        // Without metrics at all, self.metrics is an evaluation error that nothing absorbs.
        var kubectl = await sim.KubectlAsync(Dsci("alerting", """{"managementState":"Managed","alerting":{}}""").ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains($"spec.monitoring: Invalid value: \"object\": no such key: metrics evaluating rule: {AlertingMessage}", kubectl.StandardError, StringComparison.Ordinal);

        var valid = await sim.KubectlAsync(Dsci("alerting", """{"managementState":"Managed","alerting":{},"metrics":{"storage":{}}}""").ToJsonString(), "create", "-f", "-");
        Assert.True(valid.ExitCode == 0, valid.StandardError);
    }

    [Fact]
    public async Task A_dsci_map_rule_runs_on_the_map_and_the_or_absorbs_an_absent_field()
    {
        // spec.monitoring.metrics.exporters: !('prometheus' in self); self.all(k, self[k] != '')
        var python = await sim.PythonAsync("POST", Dscis, Dsci("exporters", """{"managementState":"Managed","metrics":{"exporters":{"prometheus":"x"}}}"""), "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("DSCInitialization.dscinitialization.opendatahub.io \"exporters\" is invalid: spec.monitoring.metrics.exporters: Invalid value: \"object\": exporter name 'prometheus' is reserved and cannot be used", python.Message);

        var kubectl = await sim.KubectlAsync(Dsci("exporters", """{"managementState":"Managed","metrics":{"exporters":{"a":""}}}""").ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("spec.monitoring.metrics.exporters: Invalid value: \"object\": exporter configuration values must be non-empty strings", kubectl.StandardError, StringComparison.Ordinal);

        // metrics: !(self.storage == null && ...) || !has(self.replicas) || ...: storage is absent (no such key), but
        // !has(self.replicas) is true and absorbs the error.
        Assert.Equal(201, (await sim.PythonAsync("POST", Dscis, Dsci("exporters", """{"managementState":"Managed","metrics":{"exporters":{"a":"b"}}}"""), "application/json")).Status);
    }

    [Fact]
    public async Task The_dsc_modelregistry_transition_rule_refuses_moving_a_managed_registries_namespace()
    {
        var dsc = Dsc("registry", "Managed", "first-ns");
        Assert.Equal(201, (await sim.PythonAsync("POST", Dscs, dsc, "application/json")).Status);

        var patch = JsonNode.Parse("""{"spec":{"components":{"modelregistry":{"registriesNamespace":"second-ns"}}}}""");
        var python = await sim.PythonAsync("PATCH", Dscs + "/registry", patch, "application/merge-patch+json");
        Assert.Equal(422, python.Status);
        Assert.Equal("DataScienceCluster.datasciencecluster.opendatahub.io \"registry\" is invalid: spec.components.modelregistry: Invalid value: \"object\": RegistriesNamespace is immutable when model registry is Managed", python.Message);

        var kubectl = await sim.KubectlAsync(null, "patch", "datasciencecluster", "registry", "--type=merge", "-p", patch!.ToJsonString());
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("spec.components.modelregistry: Invalid value: \"object\": RegistriesNamespace is immutable when model registry is Managed", kubectl.StandardError, StringComparison.Ordinal);

        // Removed first, then the namespace may change (oldSelf.managementState != 'Managed').
        var removed = await sim.KubectlAsync(null, "patch", "datasciencecluster", "registry", "--type=merge", "-p", """{"spec":{"components":{"modelregistry":{"managementState":"Removed"}}}}""");
        Assert.True(removed.ExitCode == 0, removed.StandardError);
        Assert.Equal(200, (await sim.PythonAsync("PATCH", Dscs + "/registry", patch, "application/merge-patch+json")).Status);
        Assert.Equal("second-ns", sim.Host.Store.Get(Kinds.DataScienceCluster, null, "registry").At("spec", "components", "modelregistry", "registriesNamespace")!.GetValue<string>());
    }

    [Fact]
    public async Task Route_rules_refuse_header_actions_with_passthrough_and_check_each_header_item()
    {
        var passthrough = Route("passthrough", """{"termination":"passthrough"}""", """{"actions":{"response":[{"name":"X-A","action":{"type":"Delete"}}]}}""");
        var python = await sim.PythonAsync("POST", Routes, passthrough, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Route.route.openshift.io \"passthrough\" is invalid: spec: Invalid value: \"object\": header actions are not permitted when tls termination is passthrough.", python.Message);

        var allow = await sim.KubectlAsync(Route("allow", """{"termination":"passthrough","insecureEdgeTerminationPolicy":"Allow"}""", null).ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, allow.ExitCode);
        Assert.Contains("spec.tls: Invalid value: \"object\": cannot have both spec.tls.termination: passthrough and spec.tls.insecureEdgeTerminationPolicy: Allow", allow.StandardError, StringComparison.Ordinal);

        // Rules under items run on each item, at its index.
        var cookie = await sim.PythonAsync("POST", Routes, Route("cookie", null, """{"actions":{"request":[{"name":"X-A","action":{"type":"Delete"}},{"name":"Cookie","action":{"type":"Delete"}}]}}"""), "application/json");
        Assert.Equal(422, cookie.Status);
        Assert.Equal("Route.route.openshift.io \"cookie\" is invalid: spec.httpHeaders.actions.request[1].name: Invalid value: \"string\": cookie header may not be modified via header actions", cookie.Message);

        var unset = await sim.KubectlAsync(Route("unset", null, """{"actions":{"response":[{"name":"X-A","action":{"type":"Set"}}]}}""").ToJsonString(), "create", "-f", "-");
        Assert.NotEqual(0, unset.ExitCode);
        Assert.Contains("spec.httpHeaders.actions.response[0].action: Invalid value: \"object\": set is required when type is Set, and forbidden otherwise", unset.StandardError, StringComparison.Ordinal);

        // The list rule matches each value with RE2: a response may fetch res.hdr, not req.hdr.
        var fetcher = await sim.PythonAsync("POST", Routes, Route("fetcher", null, """{"actions":{"response":[{"name":"X-A","action":{"type":"Set","set":{"value":"%[req.hdr(Host)]"}}}]}}"""), "application/json");
        Assert.Equal(422, fetcher.Status);
        Assert.StartsWith("Route.route.openshift.io \"fetcher\" is invalid: spec.httpHeaders.actions.response: Invalid value: \"array\": Either the header value provided is not in correct format or the sample fetcher/converter specified is not allowed.", fetcher.Message, StringComparison.Ordinal);

        var valid = Route("valid", """{"termination":"edge","insecureEdgeTerminationPolicy":"Redirect"}""", """{"actions":{"response":[{"name":"X-A","action":{"type":"Set","set":{"value":"%[res.hdr(Host),lower] text"}}}],"request":[{"name":"X-B","action":{"type":"Delete"}}]}}""");
        Assert.Equal(201, (await sim.PythonAsync("POST", Routes, valid, "application/json")).Status);
    }

    [Fact]
    public async Task A_failing_rule_on_an_unchanged_value_is_a_warning_on_update()
    {
        // A stored object (snapshot objects are never validated) that already fails the monitoring rule.
        sim.Host.Store.Load([new SnapshotObject(Kinds.DSCInitialization, Dsci("stored", """{"managementState":"Managed","alerting":{},"metrics":{}}"""), "test", 1)]);

        var label = await sim.KubectlAsync(null, "label", "dscinitialization", "stored", "team=a");
        Assert.True(label.ExitCode == 0, label.StandardError);
        Assert.Contains($"Warning: spec.monitoring: Invalid value: \"object\": {AlertingMessage}", label.StandardError, StringComparison.Ordinal);

        // Changing the node the rule sits on makes it an error again.
        var changed = await sim.PythonAsync("PATCH", Dscis + "/stored", JsonNode.Parse("""{"spec":{"monitoring":{"metrics":{"replicas":0}}}}"""), "application/merge-patch+json");
        Assert.Equal(422, changed.Status);
        Assert.Equal($"DSCInitialization.dscinitialization.opendatahub.io \"stored\" is invalid: spec.monitoring: Invalid value: \"object\": {AlertingMessage}", changed.Message);
    }

    private static JsonObject Dsci(string name, string monitoring) => new()
    {
        ["apiVersion"] = "dscinitialization.opendatahub.io/v1",
        ["kind"] = "DSCInitialization",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["applicationsNamespace"] = "opendatahub", ["monitoring"] = JsonNode.Parse(monitoring) },
    };

    private static JsonObject Dsc(string name, string state, string registriesNamespace) => new()
    {
        ["apiVersion"] = "datasciencecluster.opendatahub.io/v1",
        ["kind"] = "DataScienceCluster",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["components"] = new JsonObject { ["modelregistry"] = new JsonObject { ["managementState"] = state, ["registriesNamespace"] = registriesNamespace } },
        },
    };

    private static JsonObject Route(string name, string? tls, string? httpHeaders)
    {
        var spec = new JsonObject { ["to"] = new JsonObject { ["kind"] = "Service", ["name"] = "svc" } };
        if (tls is not null)
        {
            spec["tls"] = JsonNode.Parse(tls);
        }

        if (httpHeaders is not null)
        {
            spec["httpHeaders"] = JsonNode.Parse(httpHeaders);
        }

        return new JsonObject
        {
            ["apiVersion"] = "route.openshift.io/v1",
            ["kind"] = "Route",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "proj" },
            ["spec"] = spec,
        };
    }
}
