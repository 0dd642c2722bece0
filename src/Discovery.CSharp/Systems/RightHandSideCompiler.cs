using Discovery.Integration;
using Symbolic;

namespace Discovery.Systems;

/// <summary>Turns the right-hand sides of a system into an <see cref="OdeRightHandSide"/> through the symbolic core.</summary>
internal static class RightHandSideCompiler
{
    /// <summary>
    /// f(t, x) compiled once by the core (<c>Compile.toOdeFunction</c>) over the states, the time variable and the named
    /// parameters, whose values are fixed to <paramref name="parameters"/>. Per-thread buffers carry the spans across, so
    /// the delegate is safe to call from several threads. Throws ArgumentException when an expression cannot be compiled.
    /// </summary>
    public static OdeRightHandSide Compile(IReadOnlyList<Expr> rightHandSides, IReadOnlyList<string> stateNames, string timeName,
        IReadOnlyList<SystemParameter> parameters)
    {
        var compiled = Symbolic.Compile.ToOdeFunction(stateNames.ToArray(), timeName, parameters.Select(p => p.Name).ToArray(),
            rightHandSides.ToArray());
        if (compiled.IsError) throw new ArgumentException($"the equations cannot be compiled: {compiled.ErrorValue}");
        var function = compiled.ResultValue;
        var values = parameters.Select(p => p.Value).ToArray();
        var dimension = stateNames.Count;
        var buffers = new ThreadLocal<(double[] State, double[] Derivative)>(() => (new double[dimension], new double[dimension]));
        return (t, state, derivative) =>
        {
            var (x, dx) = buffers.Value;
            state.CopyTo(x);
            function.Invoke(t, x, values, dx);
            dx.CopyTo(derivative);
        };
    }
}
