using System.Collections.Concurrent;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.SparseRegression;

/// <summary>
/// Evaluates core expressions (library features, equations) over columns of data with the core's compiler and batch
/// evaluator: <c>Compile.toProgram</c> once per expression and input list, then <c>Evaluator.evaluate</c>.
/// </summary>
public static class FeatureMatrix
{
    private static readonly ConcurrentDictionary<(Expr, string), Program> Cache = new();

    /// <summary>
    /// The value of every expression at every row: <c>result[e][row]</c>, with <paramref name="columns"/>[v] the values
    /// of <paramref name="inputs"/>[v]. Throws ArgumentException naming the expression and the row when a value is
    /// NaN or infinite (e.g. x/(1+x) at x = −1) or when the expression uses a name that is not an input.
    /// </summary>
    public static double[][] Evaluate(IReadOnlyList<Expr> expressions, IReadOnlyList<string> inputs, double[][] columns)
    {
        if (columns.Length != inputs.Count) throw new ArgumentException($"{inputs.Count} inputs but {columns.Length} columns");
        var rows = columns.Length > 0 ? columns[0].Length : 0;
        var result = new double[expressions.Count][];
        for (var e = 0; e < expressions.Count; e++)
        {
            var expression = expressions[e];
            if (ExprModule.variables(expression).IsEmpty)
            {
                var value = Symbolic.Evaluate.at(new Dictionary<string, double>(), ExprModule.bindParameters(expression));
                if (!double.IsFinite(value)) throw new ArgumentException($"the feature {Print.infix(expression)} is not finite");
                result[e] = Enumerable.Repeat(value, rows).ToArray();
                continue;
            }
            var program = ProgramOf(expression, inputs);
            var evaluated = Evaluator.Evaluate(program, columns);
            if (!evaluated.Ok)
                throw new ArgumentException($"the term {Print.infix(expression)} is NaN or infinite at row {evaluated.Status.Row + 1} of the data");
            result[e] = evaluated.Values;
        }
        return result;
    }

    private static readonly ConcurrentDictionary<Expr, string> Names = new();

    /// <summary>The infix text of an expression (memoised: library features are named on every fit).</summary>
    public static string NameOf(Expr expression)
    {
        if (Names.TryGetValue(expression, out var name)) return name;
        name = Print.infix(expression);
        if (Names.Count > 10_000) Names.Clear();
        Names[expression] = name;
        return name;
    }

    /// <summary>The compiled program of an expression over the inputs (cached).</summary>
    internal static Program ProgramOf(Expr expression, IReadOnlyList<string> inputs)
    {
        var key = (expression, string.Join('\u0001', inputs));
        if (Cache.TryGetValue(key, out var cached)) return cached;
        var compiled = Compile.ToProgram(ListModule.OfSeq(inputs), expression);
        if (compiled.IsError) throw new ArgumentException($"{Print.infix(expression)}: {compiled.ErrorValue}");
        if (Cache.Count > 10_000) Cache.Clear();
        Cache[key] = compiled.ResultValue;
        return compiled.ResultValue;
    }
}
