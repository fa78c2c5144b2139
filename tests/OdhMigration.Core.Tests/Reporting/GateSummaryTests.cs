using System.Text.Json.Nodes;
using OdhMigration.Core.Reporting;
using OdhMigration.Core.Workspace.Documents;

namespace OdhMigration.Core.Tests.Reporting;

/// <summary>The plan and validation summaries the gates show: what each InferenceService gets, and never past Tekton's result limit.</summary>
public sealed class GateSummaryTests
{
    private static PlanItem Planned(int i, string strategy = "side-by-side") => new()
    {
        Namespace = "team",
        Name = $"model-{i:D3}",
        SourceMode = "Serverless",
        Strategy = strategy,
        TargetNamespace = "team",
        TargetName = $"model-{i:D3}-raw",
        Create = [new ObjectRef("ServingRuntime", "serving.kserve.io/v1alpha1", $"rt-{i:D3}-raw", "team"), new ObjectRef("InferenceService", "serving.kserve.io/v1beta1", $"model-{i:D3}-raw", "team")],
        DeleteOnCleanup = [new PlannedDeletion("InferenceService", "serving.kserve.io/v1beta1", $"model-{i:D3}", "team", "original", $"team/model-{i:D3}/original/isvc.yaml")],
        Warnings = i % 2 == 0 ? ["storage key renamed"] : [],
    };

    [Fact]
    public void Plan_summary_names_each_isvc_with_its_strategy_created_deleted_objects_and_warnings()
    {
        var inPlace = Planned(2, "in-place") with
        {
            DeleteBeforeApply = [new PlannedDeletion("InferenceService", "serving.kserve.io/v1beta1", "model-002", "team", "in-place", "team/model-002/original/isvc.yaml")],
        };
        var plan = new Plan { Items = [Planned(1), inPlace, new PlanItem { Namespace = "team", Name = "broken", Status = "failed", Error = "no storageUri" }] };

        var lines = GateSummary.ForPlan(plan).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("2 planned, 1 refused", lines[0]);
        Assert.Equal("- team/model-001: side-by-side (Serverless -> RawDeployment as team/model-001-raw); creates 2: ServingRuntime rt-001-raw, InferenceService model-001-raw; deletes on cleanup 1: InferenceService model-001", lines[1]);
        Assert.StartsWith("- team/model-002: in-place", lines[2], StringComparison.Ordinal);
        Assert.Contains("DELETES BEFORE APPLY 1: InferenceService model-002", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("1 warning(s): storage key renamed", lines[2], StringComparison.Ordinal);
        Assert.Equal("- team/broken: REFUSED: no storageUri", lines[3]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void Gate_summaries_mask_credentials_that_a_warning_or_a_validation_message_quotes()
    {
        const string secret = "s3cr3t-pass";
        var plan = new Plan { Items = [Planned(1) with { Warnings = [$"storageUri https://user:{secret}@models.example/m kept as is"] }, new PlanItem { Namespace = "team", Name = "broken", Status = "failed", Error = $"cannot parse https://user:{secret}@models.example/x?X-Amz-Signature=abc" }] };
        var validation = new Validation { Items = [new ValidatedItem { Namespace = "team", Name = "m", TargetNamespace = "team", TargetName = "m-raw", Passed = false, Reason = "Unreachable", Message = $"GET https://user:{secret}@m-raw.team/v2 failed" }] };

        var planText = GateSummary.ForPlan(plan);
        var validationText = GateSummary.ForValidation(validation);

        Assert.DoesNotContain(secret, planText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, validationText, StringComparison.Ordinal);
        Assert.Contains("models.example/m kept as is", planText, StringComparison.Ordinal);
        Assert.Contains("m-raw.team/v2 failed", validationText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(1000)]
    public void Plan_summary_stays_within_the_result_limit_and_says_how_many_are_left_out(int count)
    {
        var plan = new Plan { Items = [.. Enumerable.Range(0, count).Select(i => Planned(i))] };

        var text = GateSummary.ForPlan(plan);

        Assert.InRange(GateSummary.EncodedBytes(text), 1, GateSummary.MaxEncodedBytes);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var shown = lines.Count(l => l.StartsWith("- ", StringComparison.Ordinal));
        if (shown == count)
        {
            Assert.DoesNotContain("more, see", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(shown > 5, $"only {shown} shown");
            Assert.Equal($"... {count - shown} more, see report.md (odh-migrate report) or plan.json", lines[^1]);
        }

        Assert.True(count < 20 ? shown == count : shown < count, $"{shown} of {count} shown");
    }

    [Fact]
    public void A_huge_line_is_cut_and_non_ascii_counts_as_it_is_encoded()
    {
        var item = Planned(1) with { Warnings = [new string('ü', 5000), "<&>"] };
        var text = GateSummary.ForPlan(new Plan { Items = [item, Planned(2)] });

        Assert.InRange(GateSummary.EncodedBytes(text), 1, GateSummary.MaxEncodedBytes);
        Assert.Contains("...\n", text, StringComparison.Ordinal);
        Assert.Contains("- team/model-002", text, StringComparison.Ordinal);
        Assert.True(GateSummary.EncodedBytes(text) > System.Text.Encoding.UTF8.GetByteCount(text), "escaped size must be what is counted");
        Assert.Equal(text, JsonNode.Parse(JsonValue.Create(text).ToJsonString())!.GetValue<string>());
    }

    [Fact]
    public void Validation_summary_names_each_isvc_and_why_it_failed_within_the_limit()
    {
        var items = Enumerable.Range(0, 300).Select(i => new ValidatedItem
        {
            Namespace = "team", Name = $"model-{i:D3}", TargetNamespace = "team", TargetName = $"model-{i:D3}-raw",
            Passed = i != 1, Reason = i == 1 ? "NotReady" : "Ready", Message = i == 1 ? "predictor pod CrashLoopBackOff" : "",
        }).ToList();
        var validation = new Validation { Passed = 299, Failed = 1, Items = items };

        var text = GateSummary.ForValidation(validation);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("299 passed, 1 failed", lines[0], StringComparison.Ordinal);
        Assert.Equal("- team/model-000 -> team/model-000-raw: passed", lines[1]);
        Assert.Equal("- team/model-001 -> team/model-001-raw: FAILED (NotReady): predictor pod CrashLoopBackOff", lines[2]);
        Assert.InRange(GateSummary.EncodedBytes(text), 1, GateSummary.MaxEncodedBytes);
        var shown = lines.Count(l => l.StartsWith("- ", StringComparison.Ordinal));
        Assert.Equal($"... {300 - shown} more, see validation-summary.md or validation.json", lines[^1]);
    }
}
