using System.CommandLine;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery derivative "&lt;expr&gt;" x</c>: the simplified derivative with respect to a variable, as infix text on
/// one line; <c>--order n</c> differentiates n times.
/// </summary>
internal static class DerivativeCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("derivative", "Print the simplified derivative of an expression with respect to a variable.");
        var expression = new Argument<string>("expr") { Description = "An expression such as \"x^2*sin(y)\"." };
        var variable = new Argument<string>("variable") { Description = "The variable to differentiate by." };
        var order = new Option<int>("--order")
        {
            Description = "How many times to differentiate (1 to 16).",
            DefaultValueFactory = _ => 1,
        };
        command.Arguments.Add(expression);
        command.Arguments.Add(variable);
        command.Options.Add(order);
        command.SetAction(parseResult =>
        {
            var e = ExpressionArgument.Parse(parseResult.GetValue(expression));
            var n = parseResult.GetValue(order);
            if (n is < 1 or > 16) throw new CliError($"--order must be between 1 and 16, got {n}");
            var name = parseResult.GetValue(variable) ?? "";
            var derivative = Calculus.tryNthDerivative(name, n, e);
            if (derivative.IsError) throw new CliError(derivative.ErrorValue);
            output.WriteLine(Print.infix(derivative.ResultValue));
            return ExitCodes.Success;
        });
        return command;
    }
}
