using Discovery.Integration;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.Systems;

/// <summary>Turns the right-hand sides of a system into an <see cref="OdeRightHandSide"/> through the symbolic core.</summary>
internal static class RightHandSideCompiler
{
    /// <summary>
    /// f(t, x): each right-hand side is compiled once by the core (<c>Compile.toProgram</c>) over the variables
    /// (time, then the states) and run by the core's evaluator on a one-row batch. Per-thread scratch buffers make the
    /// delegate safe to call from several threads. Throws ArgumentException when an expression cannot be compiled.
    /// </summary>
    public static OdeRightHandSide Compile(IReadOnlyList<Expr> rightHandSides, IReadOnlyList<string> stateNames, string timeName)
    {
        var variables = ListModule.OfSeq(new[] { timeName }.Concat(stateNames));
        var programs = rightHandSides.Select((expression, i) =>
        {
            var compiled = Symbolic.Compile.ToProgram(variables, expression);
            return compiled.IsOk
                ? compiled.ResultValue
                : throw new ArgumentException($"the equation for {stateNames[i]}' cannot be compiled: {compiled.ErrorValue}");
        }).ToArray();
        var dimension = stateNames.Count;
        var scratch = new ThreadLocal<Scratch>(() => new Scratch(dimension + 1));
        return (t, state, derivative) =>
        {
            var buffers = scratch.Value!;
            buffers.Columns[0][0] = t;
            for (var i = 0; i < dimension; i++) buffers.Columns[i + 1][0] = state[i];
            for (var i = 0; i < programs.Length; i++)
            {
                Evaluator.EvaluateInto(buffers.Workspace, programs[i], programs[i].ParameterValues, buffers.Columns, buffers.Output);
                derivative[i] = buffers.Output[0];
            }
        };
    }

    /// <summary>One thread's one-row data columns, output cell and evaluator workspace.</summary>
    private sealed class Scratch(int columns)
    {
        public double[][] Columns { get; } = Enumerable.Range(0, columns).Select(_ => new double[1]).ToArray();
        public double[] Output { get; } = new double[1];
        public Workspace Workspace { get; } = new(16);
    }
}
