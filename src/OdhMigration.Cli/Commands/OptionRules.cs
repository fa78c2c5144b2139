using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using OdhMigration.Core.Common;

namespace OdhMigration.Cli.Commands;

/// <summary>
/// Values an option's type accepts but that make no sense (a page size of 0, a NaN tolerance, a blank field
/// manager) are parse errors naming the option, so they end as usage errors (exit 2) before anything runs.
/// </summary>
public static class OptionRules
{
    public static Option<int> AtLeast(this Option<int> option, int minimum, string unit = "")
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < minimum)
            {
                result.AddError($"{option.Name} {value.ToString(CultureInfo.InvariantCulture)}: must be at least {minimum.ToString(CultureInfo.InvariantCulture)}{unit}");
            }
        });
        return option;
    }

    /// <summary>A finite number in [<paramref name="minimum"/>, <paramref name="maximum"/>]: NaN and infinities are refused by name.</summary>
    public static Option<double> Between(this Option<double> option, double minimum, double maximum)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!double.IsFinite(value) || value < minimum || value > maximum)
            {
                var range = double.IsPositiveInfinity(maximum) ? $"a finite number of at least {minimum.ToString(CultureInfo.InvariantCulture)}" : $"a number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}";
                result.AddError($"{option.Name} {value.ToString(CultureInfo.InvariantCulture)}: must be {range}");
            }
        });
        return option;
    }

    /// <summary>A value given must hold something visible and no control characters.</summary>
    public static Option<T> NotBlank<T>(this Option<T> option)
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (string.IsNullOrWhiteSpace(token.Value))
                {
                    result.AddError($"{option.Name}: the value is empty or blank");
                }
                else if (token.Value.Any(char.IsControl))
                {
                    result.AddError($"{option.Name}: the value holds a control character");
                }
            }
        });
        return option;
    }

    /// <summary>
    /// A gate's expected sha256 that is given but empty, blank or not 64 hex characters is refused while parsing, by
    /// the same rule the engines apply (<see cref="ApprovedSha256"/>), so no cluster is contacted for a run that
    /// cannot start.
    /// </summary>
    public static void ApprovedSha256Value(Command command, Option<string?> expected, Option<bool> requireGate, string document)
    {
        command.Validators.Add(result =>
        {
            if (result.GetResult(expected) is null)
            {
                return;
            }

            if (ApprovedSha256.UsageProblem(expected.Name, result.GetValue(expected), result.GetValue(requireGate), document) is { } problem)
            {
                result.AddError(problem);
            }
        });
    }

    /// <summary>
    /// --snapshot reads an offline cluster; a live connection given beside it would otherwise be ignored without a
    /// word, so the two are refused together.
    /// </summary>
    public static void SnapshotExcludesLiveCluster(Command command, CommonOptions common)
    {
        command.Validators.Add(result =>
        {
            if (!Given(result, common.Snapshot))
            {
                return;
            }

            foreach (var live in new Option[] { common.Kubeconfig, common.Context })
            {
                if (Given(result, live))
                {
                    result.AddError($"--snapshot cannot be combined with {live.Name}: the snapshot would be read and {live.Name} ignored; give one or the other");
                }
            }
        });
    }

    private static bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
