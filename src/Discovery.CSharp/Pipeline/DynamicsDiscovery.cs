using System.Diagnostics;
using System.Globalization;
using Discovery.Data;
using Discovery.Differentiation;
using Discovery.Results;
using Discovery.SparseRegression;

namespace Discovery.Pipeline;

/// <summary>
/// The trajectory pipeline of the main job: SINDy in the weak (integral) form on a degree-2 polynomial library, robust
/// to measurement noise, with the threshold chosen per equation by the sweep (smoothing splines give the derivatives
/// the report compares against), then the symbolic search on every
/// equation whose fit stays poor (R² below 0.999), warm-started with the SINDy terms.
/// </summary>
public static class DynamicsDiscovery
{
    /// <summary>Runs the pipeline; <paramref name="progress"/> hears each phase and the share done.</summary>
    public static DiscoveryResult Run(TrajectoryData data, DiscoverOptions options, InputInfo? input,
        Action<string, double>? progress = null, CancellationToken cancellationToken = default, string? description = null)
    {
        var watch = Stopwatch.StartNew();
        // The weak form needs no pointwise derivative: on noisy data it is the most accurate (bench/README.md: within 2%
        // on ten noise draws of PySINDy's Lorenz example, where smoothed finite differences miss by up to 7%).
        var sindy = new Sindy(new Stlsq(new StlsqOptions(0.1, 0.05)), new PolynomialLibrary(2), new SmoothingSplineDerivative(),
            new SindyOptions(new WeakFormOptions()));
        progress?.Invoke("Estimating derivatives and building the library", 0.05);
        var problem = sindy.Prepare(data);
        progress?.Invoke("Sparse regression (SINDy): threshold sweep", 0.3);
        var sweep = problem.Regression.Rows >= 20 ? ThresholdSweep.Run(sindy, problem, new SweepOptions()) : null;
        var model = sweep?.Model ?? sindy.Fit(problem);
        // Ctrl+C before refinement keeps the SINDy model: the report is still written, marked as interrupted.
        var interrupted = cancellationToken.IsCancellationRequested;
        RefinementResult? refinement = null;
        if (!interrupted)
        {
            progress?.Invoke("Refining poorly fitted equations with the symbolic search", 0.6);
            var (_, unary) = Regression.OperatorNames.Parse(options.Operators);
            refinement = Refinement.Refine(model, data, new RefinementOptions(
                R2Threshold: 0.999, Always: false, Seconds: options.Seconds, UnaryOperators: unary, Seed: unchecked((int)options.Seed)));
            model = refinement.Model;
        }
        progress?.Invoke("Packaging the result", 0.95);
        var result = SindyResults.ToResult(new SindyRun(model, data, sweep, refinement, watch.Elapsed.TotalSeconds, input,
            new Dictionary<string, string>
            {
                ["method"] = "sindy",
                ["library"] = "poly:2",
                ["optimizer"] = "stlsq",
                ["threshold"] = "sweep",
                ["diff"] = "spline",
                ["weak"] = "true",
                ["refine_below"] = "0.999",
                ["seconds"] = options.Seconds.ToString(CultureInfo.InvariantCulture),
                ["operators"] = options.Operators,
            }, options.Seed));
        result = result with { Interrupted = interrupted };
        return description is null ? result : result with { Notes = [description, .. result.Notes] };
    }
}
