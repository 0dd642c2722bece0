using System.CommandLine;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery simplify "&lt;expr&gt;"</c>: the simplified expression as infix text on one line; <c>--expand</c>
/// multiplies out products and powers of sums, <c>--collect x</c> also groups the terms by their part in x.
/// </summary>
internal static class SimplifyCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("simplify", "Print the simplified form of an expression (infix, one line).");
        var expression = new Argument<string>("expr") { Description = "An expression such as \"sin(x)^2 + cos(x)^2\"." };
        var expand = new Option<bool>("--expand") { Description = "Multiply out products and whole powers of sums." };
        var collect = new Option<string?>("--collect")
        {
            Description = "Expand, then group the terms by their factors in this variable.",
        };
        var digits = new Option<int?>("--digits")
        {
            Description = "Round approximate constants to this many significant digits (1 to 17).",
        };
        command.Arguments.Add(expression);
        command.Options.Add(expand);
        command.Options.Add(collect);
        command.Options.Add(digits);
        command.SetAction(parseResult =>
        {
            var options = FormulaCommand.OptionsFor(parseResult.GetValue(digits));
            var e = ExpressionArgument.Parse(parseResult.GetValue(expression));
            var variable = parseResult.GetValue(collect);
            var result = variable is not null ? Simplify.collect(variable, e)
                : parseResult.GetValue(expand) ? Simplify.expand(e)
                : Simplify.simplify(e);
            output.WriteLine(Print.infixWith(options, result));
            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>Reading an expression argument: bad text is a <see cref="CliError"/> with the text and the position.</summary>
internal static class ExpressionArgument
{
    public static Expr Parse(string? text)
    {
        text ??= "";
        var parsed = Symbolic.Parse.expression(text);
        if (parsed.IsError) throw new CliError($"{Symbolic.Parse.excerpt(text)}: {parsed.ErrorValue}");
        return parsed.ResultValue;
    }
}
