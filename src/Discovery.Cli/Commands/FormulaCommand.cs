using System.CommandLine;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary>
/// The shape shared by the commands that reprint a formula in another notation (<c>latex</c>, <c>mathml</c>,
/// <c>sympy</c>): one argument, an expression or equations (text with '=': <c>y = ...</c>, <c>x' = ...</c>,
/// <c>dx/dt = ...</c>, several separated by ';' or newlines), and <c>--digits</c> for rounded constants.
/// </summary>
internal static class FormulaCommand
{
    public static Command Build(string name, string description, Print.Format format, TextWriter output)
    {
        var command = new Command(name, description);
        var formula = new Argument<string>("formula")
        {
            Description = "An expression such as \"x^2 - sin(y)/2\", or equations such as \"x' = -y; y' = x\".",
        };
        var digits = new Option<int?>("--digits")
        {
            Description = "Round approximate constants to this many significant digits (1 to 17).",
        };
        command.Arguments.Add(formula);
        command.Options.Add(digits);
        command.SetAction(parseResult =>
        {
            var text = parseResult.GetValue(formula) ?? "";
            var options = OptionsFor(parseResult.GetValue(digits));
            output.WriteLine(Render(text, format, options));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Print options for an optional digit count; a count outside 1..17 is a user error.</summary>
    public static Print.Options OptionsFor(int? digits) => digits switch
    {
        null => Print.Options.Default,
        >= 1 and <= 17 => Print.withDigits(digits.Value),
        _ => throw new CliError($"--digits must be between 1 and 17, got {digits}"),
    };

    /// <summary>
    /// The formula in the format: equations when the text contains '=', else one expression. Bad text throws
    /// <see cref="CliError"/> with the input and the position, e.g. <c>x +: line 1, column 4: expected ...</c>.
    /// </summary>
    public static string Render(string text, Print.Format format, Print.Options options)
    {
        if (text.Contains('='))
        {
            var parsed = Parse.system(text);
            if (parsed.IsError) throw new CliError($"{Parse.excerpt(text)}: {parsed.ErrorValue}");
            var equations = parsed.ResultValue;
            return equations.Length == 1
                ? Print.equation(format, options, equations.Head)
                : Print.system(format, options, equations);
        }

        var expression = Parse.expression(text);
        if (expression.IsError) throw new CliError($"{Parse.excerpt(text)}: {expression.ErrorValue}");
        return Print.format(format, options, expression.ResultValue);
    }
}
