using Discovery.Integration;
using Symbolic;

namespace Discovery.Systems;

/// <summary>Turns the right-hand sides of a system into an <see cref="OdeRightHandSide"/> through the symbolic core.</summary>
internal static class RightHandSideCompiler
{
    /// <summary>
    /// f(t, x) evaluating <paramref name="rightHandSides"/> with the states bound by name and time as
    /// <paramref name="timeName"/>. Each call gets its own value table, so the delegate is safe to use from several threads.
    /// </summary>
    public static OdeRightHandSide Compile(IReadOnlyList<Expr> rightHandSides, IReadOnlyList<string> stateNames, string timeName)
    {
        var expressions = rightHandSides.ToArray();
        var names = stateNames.ToArray();
        var table = new ThreadLocal<Dictionary<string, double>>(() => new Dictionary<string, double>(StringComparer.Ordinal));
        return (t, state, derivative) =>
        {
            var values = table.Value!;
            values[timeName] = t;
            for (var i = 0; i < names.Length; i++) values[names[i]] = state[i];
            for (var i = 0; i < expressions.Length; i++) derivative[i] = Evaluate.at(values, expressions[i]);
        };
    }
}
