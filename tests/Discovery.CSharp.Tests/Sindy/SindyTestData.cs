using Discovery.Data;
using Discovery.SparseRegression;
using Discovery.Systems;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.Tests.Sindy;

/// <summary>Simulated data sets with known equations, shared by the SINDy tests (built once per test run).</summary>
internal static class SindyTestData
{
    private static readonly Lazy<TrajectoryData> LorenzData = new(() =>
        SystemZoo.Get("lorenz").Simulate(new SimulationOptions(TimeEnd: 10, TimeStep: 0.002, InitialState: [-8, 8, 27],
            RelativeTolerance: 1e-12, AbsoluteTolerance: 1e-12)));

    /// <summary>PySINDy's Lorenz example: dt 0.002, t in [0, 10), x0 (-8, 8, 27), tight tolerances (5000 samples).</summary>
    public static TrajectoryData Lorenz => LorenzData.Value;

    /// <summary>The Lorenz truth: coefficient of each feature in each equation (others are 0).</summary>
    public static readonly Dictionary<(string State, string Feature), double> LorenzTruth = new()
    {
        [("x", "x")] = -10, [("x", "y")] = 10,
        [("y", "x")] = 28, [("y", "y")] = -1, [("y", "x*z")] = -1,
        [("z", "z")] = -8.0 / 3, [("z", "x*y")] = 1,
    };

    /// <summary>Simulates <paramref name="system"/> with tight tolerances (optionally noisy).</summary>
    public static TrajectoryData Simulate(string system, double timeEnd, double dt, int trajectories = 1, double noise = 0, int seed = 0) =>
        SystemZoo.Get(system).Simulate(new SimulationOptions(TimeEnd: timeEnd, TimeStep: dt, Trajectories: trajectories, NoiseLevel: noise,
            Seed: seed, RelativeTolerance: 1e-12, AbsoluteTolerance: 1e-12));

    /// <summary>
    /// The true coefficients of a zoo system's polynomial right-hand sides, keyed by (state, monomial as the polynomial
    /// library names it), from the core's expansion of the bound equations.
    /// </summary>
    public static Dictionary<(string State, string Feature), double> TruthOf(string system)
    {
        var zoo = SystemZoo.Get(system);
        var truth = new Dictionary<(string, string), double>();
        var rhs = zoo.BoundRightHandSides();
        for (var i = 0; i < zoo.Dimension; i++)
        {
            var expanded = Simplify.expand(rhs[i]);
            var terms = expanded is Expr.Sum sum ? sum.Item.ToArray() : [expanded];
            foreach (var term in terms)
            {
                var factors = term is Expr.Product product ? product.Item.ToArray() : [term];
                var coefficient = 1.0;
                var rest = new List<Expr>();
                foreach (var f in factors)
                    if (f is Expr.Number or Expr.Approx) coefficient *= Evaluate.at(new Dictionary<string, double>(), f);
                    else rest.Add(f);
                var monomial = rest.Count == 0 ? "1" : Print.infix(ExprModule.product(ListModule.OfSeq(rest)));
                truth[(zoo.StateNames[i], monomial)] = coefficient;
            }
        }
        return truth;
    }

    /// <summary>Largest relative coefficient error against <paramref name="truth"/>, and the spurious terms (name: value).</summary>
    public static (double MaxRelativeError, List<string> Spurious, List<string> Missing) Compare(
        FittedSindy model, Dictionary<(string State, string Feature), double> truth)
    {
        var worst = 0.0;
        var spurious = new List<string>();
        var missing = new List<string>();
        var coefficients = model.Coefficients;
        for (var i = 0; i < model.StateNames.Count; i++)
        for (var j = 0; j < model.FeatureNames.Count; j++)
        {
            var key = (model.StateNames[i], model.FeatureNames[j]);
            var c = coefficients[i, j];
            if (truth.TryGetValue(key, out var t))
            {
                if (c == 0) missing.Add($"{key}");
                else worst = Math.Max(worst, Math.Abs(c - t) / Math.Abs(t));
            }
            else if (c != 0) spurious.Add($"{key}: {c}");
        }
        return (worst, spurious, missing);
    }
}
