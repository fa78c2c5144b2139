using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;
using OdhMigration.Core.Stages.DscFinalize;

namespace OdhMigration.Core.Tests.DscFinalize;

public sealed class OperatorAdvisorTests
{
    private static JsonObject Subscription(string ns, string name, string package, string csv)
    {
        var sub = Manifest.NewObject(Kinds.Subscription, name, ns);
        sub["spec"] = new JsonObject { ["name"] = package };
        sub["status"] = new JsonObject { ["installedCSV"] = csv };
        return sub;
    }

    private static readonly JsonObject[] Installed =
    [
        Subscription("openshift-serverless", "serverless-operator", "serverless-operator", "serverless-operator.v1.35.0"),
        Subscription("openshift-operators", "servicemeshoperator", "servicemeshoperator", "servicemeshoperator.v2.6.5"),
        Subscription("openshift-operators", "authorino-operator", "authorino-operator", "authorino-operator.v1.2.0"),
        Subscription("openshift-operators", "cert-manager", "openshift-cert-manager-operator", "cert-manager.v1.15.0"),
    ];

    [Fact]
    public void After_removal_every_legacy_operator_is_safe_and_unrelated_ones_are_ignored()
    {
        var advice = OperatorAdvisor.Advise(Installed, "Removed", "Removed");
        Assert.Equal(3, advice.Count);
        Assert.All(advice, a => Assert.True(a.SafeToUninstall, a.Operator));
        Assert.Contains(advice, a => a.Csv == "servicemeshoperator.v2.6.5");
    }

    [Fact]
    public void Unmanaged_components_keep_their_operators()
    {
        var advice = OperatorAdvisor.Advise(Installed, "Unmanaged", "Unmanaged");
        Assert.False(advice.Single(a => a.Operator == OperatorAdvisor.Serverless).SafeToUninstall);
        Assert.False(advice.Single(a => a.Operator == OperatorAdvisor.ServiceMesh2).SafeToUninstall);
    }

    [Fact]
    public void Authorino_is_kept_when_connectivity_link_shares_it()
    {
        var advice = OperatorAdvisor.Advise([.. Installed, Subscription("kuadrant-system", "rhcl-operator", "rhcl-operator", "rhcl-operator.v1.1.0")], "Removed", "Removed");
        var authorino = advice.Single(a => a.Operator == OperatorAdvisor.Authorino);
        Assert.False(authorino.SafeToUninstall);
        Assert.Contains("Connectivity Link", authorino.Reason, StringComparison.Ordinal);
    }
}
