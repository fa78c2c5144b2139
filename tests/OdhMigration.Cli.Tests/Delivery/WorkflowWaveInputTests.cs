using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands.Options;

namespace OdhMigration.Cli.Tests.Delivery;

/// <summary>
/// The reusable workflow's wave input names a wave of the plan the same run makes, so the run's transform must be able
/// to plan waves: waves, wave-size and wave-order reach odh-transform, and the wave input says whose plan K is.
/// </summary>
public sealed class WorkflowWaveInputTests
{
    private static readonly JsonObject Workflow = DeliveryFiles.Single(".github", "workflows", "odh-migrate.yml");

    private static JsonObject Inputs => Workflow["on"]!["workflow_call"]!["inputs"]!.AsObject();

    [Theory]
    [InlineData("waves", "WAVES", "--waves")]
    [InlineData("wave-size", "WAVE_SIZE", "--wave-size")]
    [InlineData("wave-order", "WAVE_ORDER", "--wave-order")]
    public void The_transform_job_plans_waves_from_the_workflow_inputs(string input, string variable, string option)
    {
        Assert.Equal("", Inputs[input]!.Str("default"));
        var step = Workflow["jobs"]!["transform"]!.AsObject().Items("steps").Single(s => s.Str("name") == "odh-transform");
        Assert.Equal($"${{{{ inputs.{input} }}}}", step.Str("env", variable));
        Assert.Contains($"${{{variable}:+{option} \"${variable}\"}}", step.Str("run"), StringComparison.Ordinal);

        // The option exists on transform under that name (a typo here would make transform refuse every run).
        Assert.Contains(option, new[] { WaveOptions.Waves().Name, WaveOptions.WaveSize().Name, WaveOptions.WaveOrder().Name });
    }

    [Fact]
    public void The_wave_input_says_it_is_a_wave_of_this_runs_plan_and_that_each_run_plans_again()
    {
        var description = Inputs["wave"]!.Str("description")!;
        Assert.Contains("of the plan THIS run makes", description, StringComparison.Ordinal);
        Assert.Contains("waves or wave-size, which K needs", description, StringComparison.Ordinal);
        Assert.Contains("never a wave of an earlier run's plan", description, StringComparison.Ordinal);
        Assert.Contains("with wave 1 after each finished run", description, StringComparison.Ordinal);
    }
}
