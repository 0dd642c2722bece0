using System.CommandLine;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery equivalent "&lt;a&gt;" "&lt;b&gt;"</c>: prints <c>equivalent</c> (exit 0) when the two expressions are
/// the same function (same canonical form, or equal at many random points), else <c>not equivalent</c> (exit 1);
/// <c>--explain</c> adds a line saying how it was decided.
/// </summary>
internal static class EquivalentCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("equivalent", "Decide whether two expressions are the same function (exit 0 if so, 1 if not).");
        var left = new Argument<string>("a") { Description = "The first expression." };
        var right = new Argument<string>("b") { Description = "The second expression." };
        var explain = new Option<bool>("--explain") { Description = "Also print how it was decided (symbolically, numerically, the point where they differ)." };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the random points of the numeric test.",
            DefaultValueFactory = _ => EquivalenceOptions.Default.Seed,
        };
        command.Arguments.Add(left);
        command.Arguments.Add(right);
        command.Options.Add(explain);
        command.Options.Add(seed);
        command.SetAction(parseResult =>
        {
            var a = ExpressionArgument.Parse(parseResult.GetValue(left));
            var b = ExpressionArgument.Parse(parseResult.GetValue(right));
            var d = EquivalenceOptions.Default;
            var options = new EquivalenceOptions(parseResult.GetValue(seed), d.Points, d.MaxAttempts, d.MinimumPoints, d.RelativeTolerance);
            var result = Equivalence.equivalentWith(options, a, b);
            var same = result.IsIdentical || result.IsNumericallyEqual;
            output.WriteLine(same ? "equivalent" : "not equivalent");
            if (parseResult.GetValue(explain)) output.WriteLine(Equivalence.describe(result));
            return same ? ExitCodes.Success : ExitCodes.No;
        });
        return command;
    }
}
