using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OdhMigration.Core.Manifests;
using OdhMigration.Simulator.Schema;
using OdhMigration.Simulator.Store;
using OdhMigration.Simulator.Tests.Fidelity.Support;
using OdhMigration.Simulator.Tests.Support;

namespace OdhMigration.Simulator.Tests.Fidelity;

/// <summary>
/// CEL <c>x-kubernetes-validations</c>, through kubectl and the official Python client: the immutability rule
/// <c>self == oldSelf</c>, the blocking-error rule, and a rule outside the evaluator's subset, which is reported as
/// unevaluated (the other rules of the served CRDs: <see cref="CelServedRuleFidelityTests"/>). Upstream:
/// kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go
/// (transition rules run only with an old value; <c>field.Invalid(path, sts.Type, message)</c> as in 1.30) and
/// .../pkg/registry/customresource/strategy.go (hasBlockingErr: rules are not run after NotSupported, Required,
/// TooLong, TooMany or TypeInvalid errors). Rule under test: the ODH operator stable-2.x DSCInitialization CRD,
/// <c>spec.applicationsNamespace</c>: <c>self == oldSelf</c>, "ApplicationsNamespace is immutable".
/// </summary>
public sealed class CelRuleFidelityTests(FidelityFixture sim) : IClassFixture<FidelityFixture>
{
    private const string Dscis = "/apis/dscinitialization.opendatahub.io/v1/dscinitializations";

    [Fact]
    public async Task A_self_equals_oldSelf_rule_refuses_changing_the_field_and_allows_other_updates()
    {
        Assert.Equal(201, (await sim.PythonAsync("POST", Dscis, Dsci("immutable-ns", "opendatahub"), "application/json")).Status);

        var python = await sim.PythonAsync("PATCH", Dscis + "/immutable-ns", JsonNode.Parse("""{"spec":{"applicationsNamespace":"elsewhere"}}"""), "application/merge-patch+json");
        Assert.Equal(422, python.Status);
        Assert.Equal("Invalid", python.Reason);
        Assert.Equal("DSCInitialization.dscinitialization.opendatahub.io \"immutable-ns\" is invalid: spec.applicationsNamespace: Invalid value: \"string\": ApplicationsNamespace is immutable", python.Message);
        var cause = python.Body!["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("spec.applicationsNamespace", cause["field"]!.GetValue<string>());

        var kubectl = await sim.KubectlAsync(null, "patch", "dscinitialization", "immutable-ns", "--type=merge", "-p", """{"spec":{"applicationsNamespace":"elsewhere"}}""");
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("spec.applicationsNamespace: Invalid value: \"string\": ApplicationsNamespace is immutable", kubectl.StandardError, StringComparison.Ordinal);

        var label = await sim.KubectlAsync(null, "label", "dscinitialization", "immutable-ns", "team=a");
        Assert.True(label.ExitCode == 0, label.StandardError);
        Assert.Equal("opendatahub", sim.Host.Store.Get(Kinds.DSCInitialization, null, "immutable-ns").At("spec", "applicationsNamespace")!.GetValue<string>());
    }

    [Fact]
    public async Task Rules_are_not_run_after_a_blocking_schema_error()
    {
        var dsci = Dsci("blocked", "opendatahub");
        dsci["spec"]!["applicationsNamespace"] = 5;
        var python = await sim.PythonAsync("POST", Dscis, dsci, "application/json");
        Assert.Equal(422, python.Status);
        Assert.Equal("DSCInitialization.dscinitialization.opendatahub.io \"blocked\" is invalid: [spec.applicationsNamespace: Invalid value: \"integer\": spec.applicationsNamespace in body must be of type string: \"integer\", <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]", python.Message);
    }

    [Fact]
    public async Task A_rule_that_is_not_evaluated_is_reported_once_and_never_refuses()
    {
        var logs = new CapturingLoggerFactory();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Crds = new CrdSchemas([GadgetCrd]), ExtraKinds = [Gadget] }, TestSnapshot.Parse(TestSnapshot.Basic), logs, TestContext.Current.CancellationToken);

        // isURL belongs to the Kubernetes URL library, which the simulator's CEL evaluator does not implement; the
        // value would fail it.
        foreach (var name in new[] { "first", "second" })
        {
            var gadget = (JsonObject)JsonNode.Parse("""
                {"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g","namespace":"proj"},"spec":{"url":"not a url"}}
                """)!;
            gadget["metadata"]!["name"] = name;
            host.Store.Create(Gadget, "proj", gadget, new WriteContext());
        }

        var reported = logs.Messages.Where(m => m.Contains("isURL(self.url)", StringComparison.Ordinal)).ToList();
        var message = Assert.Single(reported);
        Assert.Equal("CEL rule not evaluated (accepted unchecked) on Gadget spec: isURL(self.url)", message);

        // Rules inside allOf branches are not evaluated either, and say so.
        Assert.Single(logs.Messages, m => m == "CEL rule not evaluated (accepted unchecked) on Gadget spec: self.url != 'not a url'");
    }

    private static readonly ResourceKind Gadget = new("example.com", "v1", "Gadget", "gadgets", true);

    /// <summary>A CRD with a rule using a function outside the evaluator's subset and a rule inside an allOf branch.</summary>
    private static JsonObject GadgetCrd => (JsonObject)JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.example.com"},
         "spec":{"group":"example.com","scope":"Namespaced","names":{"kind":"Gadget","plural":"gadgets","singular":"gadget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
            "spec":{"type":"object","x-kubernetes-validations":[{"rule":"isURL(self.url)"}],
              "allOf":[{"x-kubernetes-validations":[{"rule":"self.url != 'not a url'"}]}],"properties":{"url":{"type":"string"}}}}}}}]}}
        """)!;

    private static JsonObject Dsci(string name, string applicationsNamespace) => new()
    {
        ["apiVersion"] = "dscinitialization.opendatahub.io/v1",
        ["kind"] = "DSCInitialization",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["applicationsNamespace"] = applicationsNamespace },
    };

    /// <summary>Keeps every formatted log message (the simulator's and Kestrel's).</summary>
    private sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
