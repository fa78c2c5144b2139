using System.CommandLine;
using System.Globalization;

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
            if (Converted<int>(result) is var (converted, value) && converted && value < minimum)
            {
                result.AddError($"{option.Name} {value.ToString(CultureInfo.InvariantCulture)}: must be at least {minimum.ToString(CultureInfo.InvariantCulture)}{unit}");
            }
        });
        return option;
    }

    /// <summary>The same rule for an option without a default of its own (the stage's options record has it).</summary>
    public static Option<int?> AtLeast(this Option<int?> option, int minimum, string unit = "")
    {
        option.Validators.Add(result =>
        {
            if (Converted<int?>(result) is (true, { } value) && value < minimum)
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
            if (Converted<double>(result) is var (converted, value) && converted && (!double.IsFinite(value) || value < minimum || value > maximum))
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
    /// The option's value, or (false, default) when its text is not of the option's type: the parser reports that
    /// itself, naming the option, and asking for the value then would throw instead of ending as a usage error.
    /// </summary>
    private static (bool Converted, T? Value) Converted<T>(System.CommandLine.Parsing.OptionResult result)
    {
        try
        {
            return (true, result.GetValueOrDefault<T>());
        }
        catch (InvalidOperationException)
        {
            return (false, default);
        }
    }
}
