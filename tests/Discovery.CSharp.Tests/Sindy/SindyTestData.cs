using Discovery.Data;
using Discovery.Systems;

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

    /// <summary>Largest relative coefficient error against <paramref name="truth"/>, and the spurious terms (name: value).</summary>
    public static (double MaxRelativeError, List<string> Spurious, List<string> Missing) Compare(
        SparseRegression.FittedSindy model, Dictionary<(string State, string Feature), double> truth)
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
