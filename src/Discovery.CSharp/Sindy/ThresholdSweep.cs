using Symbolic;

namespace Discovery.SparseRegression;

/// <summary>Settings of <see cref="ThresholdSweep"/>.</summary>
/// <param name="Thresholds">Points of the logarithmic threshold grid (threshold 0 is always added).</param>
/// <param name="MinThreshold">Smallest threshold; null: 1e-6 times the largest least-squares coefficient.</param>
/// <param name="MaxThreshold">Largest threshold; null: just above the largest least-squares coefficient.</param>
/// <param name="ValidationFraction">The last part of every trajectory (this fraction of its rows) is held out to measure
/// the error of each model.</param>
/// <param name="Tolerance">The pick rule's slack: models whose validation error is within this factor of the best are
/// candidates.</param>
/// <param name="ErrorFloor">Relative errors below this count as equal to it (differentiation and rounding error, not
/// model error): protects noise-free data from extra terms that only fit the error of the derivative estimate.</param>
public sealed record SweepOptions(
    int Thresholds = 40,
    double? MinThreshold = null,
    double? MaxThreshold = null,
    double ValidationFraction = 0.2,
    double Tolerance = 1.5,
    double ErrorFloor = 1e-6);

/// <summary>One model of a sweep for one state.</summary>
/// <param name="State">The state whose equation this is.</param>
/// <param name="Threshold">A threshold that gives it: the geometric middle of the grid thresholds that gave the same
/// support (half the largest when the range starts at 0).</param>
/// <param name="Complexity">Number of non-zero terms.</param>
/// <param name="Error">Validation error: mean squared error on the held-out rows divided by their variance (1 − R²).</param>
/// <param name="Expression">The equation's right-hand side (fitted on the training rows).</param>
/// <param name="Coefficients">Its coefficients, one per library feature (0 for terms not in it).</param>
/// <param name="OnFront">True when no simpler model has a lower or equal error.</param>
/// <param name="Chosen">True for the model the pick rule chose.</param>
public sealed record SweepPoint(string State, double Threshold, int Complexity, double Error, Expr Expression,
    IReadOnlyList<double> Coefficients, bool OnFront, bool Chosen)
{
    /// <summary>True when this model has exactly the terms of <paramref name="coefficients"/> (non-zero entries).</summary>
    public bool HasTermsOf(IReadOnlyList<double> coefficients) =>
        coefficients.Count == Coefficients.Count && coefficients.Select((c, j) => (c != 0) == (Coefficients[j] != 0)).All(same => same);
}

/// <summary>What a sweep found: every distinct model per state, the chosen threshold per state, and the final model.</summary>
/// <param name="Points">Distinct models (by support), per state by increasing complexity.</param>
/// <param name="ChosenThresholds">The threshold chosen for each state.</param>
/// <param name="Model">The final model: each state's equation refitted on all rows with its chosen threshold.</param>
public sealed record ThresholdSweepResult(IReadOnlyList<SweepPoint> Points, IReadOnlyList<double> ChosenThresholds, FittedSindy Model);

/// <summary>
/// Threshold selection. The optimizer is fitted on the training rows (all but the last
/// <see cref="SweepOptions.ValidationFraction"/> of every trajectory) for every threshold of a logarithmic grid (plus
/// 0). For each state the distinct models (by set of terms) are scored on the held-out rows: complexity = number of
/// terms, error = 1 − R² on the held-out rows. The Pareto front keeps the models that beat every simpler one. The pick
/// rule (after PySR's "best"): among front models whose error is at most <see cref="SweepOptions.Tolerance"/> times the
/// lowest (errors below <see cref="SweepOptions.ErrorFloor"/> count as the floor), take the one with the steepest drop
/// in log error per added term against the previous front model, i.e. the knee; ties go to the simpler model. Each state
/// gets its own threshold; the final equations are refitted on all rows.
/// </summary>
public static class ThresholdSweep
{
    /// <summary>Runs the sweep on a prepared problem with <paramref name="learner"/>'s optimizer.</summary>
    public static ThresholdSweepResult Run(Sindy learner, SindyProblem problem, SweepOptions options)
    {
        if (options.Thresholds < 2) throw new ArgumentException("a sweep needs at least 2 thresholds");
        if (!(options.ValidationFraction > 0 && options.ValidationFraction < 1))
            throw new ArgumentException("the validation fraction must be in (0, 1)");
        if (!(options.Tolerance >= 1)) throw new ArgumentException("the tolerance factor must be at least 1");
        var regression = problem.Regression;
        var train = new List<int>();
        var validation = new List<int>();
        foreach (var (start, count) in problem.TrajectoryRows)
        {
            var cut = Math.Clamp((int)Math.Round((1 - options.ValidationFraction) * count), 1, Math.Max(1, count - 1));
            for (var k = 0; k < count; k++) (k < cut ? train : validation).Add(start + k);
        }
        if (validation.Count == 0) validation = train;
        var trainProblem = regression.SelectRows(train);
        var validationProblem = regression.SelectRows(validation);

        var grid = Grid(learner.Optimizer, trainProblem, options);
        var states = problem.StateNames;
        var found = states.Select(_ => new Dictionary<string, (double Low, double High, double[] Row)>()).ToArray();
        foreach (var threshold in grid)
        {
            var fit = learner.Optimizer.WithThreshold(threshold).Fit(trainProblem);
            for (var i = 0; i < states.Count; i++)
            {
                var row = fit.Row(i);
                var key = string.Concat(row.Select(c => c != 0 ? '1' : '0'));
                found[i][key] = found[i].TryGetValue(key, out var seen) ? (seen.Low, threshold, seen.Row) : (threshold, threshold, row);
            }
        }
        // Each support is represented by the geometric middle of the thresholds that gave it: the most robust choice.
        var candidates = found.Select(f => f.ToDictionary(p => p.Key,
            p => (Threshold: p.Value.Low > 0 ? Math.Sqrt(p.Value.Low * p.Value.High) : p.Value.High / 2, p.Value.Row))).ToArray();

        var points = new List<SweepPoint>();
        var chosenThresholds = new double[states.Count];
        for (var i = 0; i < states.Count; i++)
        {
            var models = candidates[i].Values
                .Select(c => (c.Threshold, c.Row, Complexity: c.Row.Count(v => v != 0), Error: 1 - validationProblem.R2(i, c.Row)))
                .OrderBy(m => m.Complexity).ThenBy(m => m.Error).ToList();
            var front = new List<int>();
            var best = double.PositiveInfinity;
            for (var k = 0; k < models.Count; k++)
            {
                if (!(models[k].Error < best)) continue;
                best = models[k].Error;
                front.Add(k);
            }
            var pick = Pick(front.Select(k => (models[k].Complexity, models[k].Error)).ToList(), options);
            var chosen = front[pick];
            chosenThresholds[i] = models[chosen].Threshold;
            for (var k = 0; k < models.Count; k++)
                points.Add(new SweepPoint(states[i], models[k].Threshold, models[k].Complexity, models[k].Error,
                    FittedSindy.LinearCombination(models[k].Row, problem.Features), models[k].Row, front.Contains(k), k == chosen));
        }

        // Final model: one fit on all rows per distinct chosen threshold; each state takes its own row.
        var fits = new Dictionary<double, SparseFit>();
        foreach (var t in chosenThresholds.Distinct())
            fits[t] = learner.Optimizer.WithThreshold(t).Fit(regression);
        var coefficients = chosenThresholds.Select((t, i) => fits[t].Row(i)).ToArray();
        var r2 = chosenThresholds.Select((t, i) => fits[t].TrainingR2[i]).ToArray();
        var ensemble = chosenThresholds.Distinct().Count() == 1 ? fits[chosenThresholds[0]].Ensemble : MergeEnsembles(fits, chosenThresholds);
        var distinct = chosenThresholds.Distinct().ToArray();
        var chosenLearner = distinct.Length == 1 ? learner.WithThreshold(distinct[0]) : learner;
        var model = new FittedSindy(chosenLearner, problem, fits[chosenThresholds[0]]).WithCoefficients(coefficients, r2, ensemble);
        return new ThresholdSweepResult(points, chosenThresholds, model);
    }

    /// <summary>
    /// The index (into the front, ordered by complexity) that the pick rule chooses: among models with error at most
    /// tolerance × the lowest (errors floored), the steepest drop of log error per added term; ties to the simpler.
    /// </summary>
    public static int Pick(IReadOnlyList<(int Complexity, double Error)> front, SweepOptions options)
    {
        if (front.Count == 0) throw new ArgumentException("the front is empty");
        double Floored(double e) => Math.Max(e, options.ErrorFloor);
        var lowest = front.Min(f => Floored(f.Error));
        var bestIndex = -1;
        var bestScore = double.NegativeInfinity;
        for (var k = 0; k < front.Count; k++)
        {
            if (Floored(front[k].Error) > options.Tolerance * lowest) continue;
            var score = k == 0
                ? double.PositiveInfinity
                : (Math.Log(Floored(front[k - 1].Error)) - Math.Log(Floored(front[k].Error)))
                  / Math.Max(1, front[k].Complexity - front[k - 1].Complexity);
            if (score > bestScore)
            {
                bestScore = score;
                bestIndex = k;
            }
        }
        return bestIndex;
    }

    private static IReadOnlyList<double> Grid(ISparseRegressor optimizer, RegressionProblem problem, SweepOptions options)
    {
        var leastSquares = optimizer.WithThreshold(0).Fit(problem);
        var largest = 0.0;
        for (var i = 0; i < leastSquares.Targets; i++)
        for (var j = 0; j < leastSquares.Features; j++)
            largest = Math.Max(largest, Math.Abs(leastSquares.Coefficient(i, j)));
        if (largest == 0) largest = 1;
        var high = options.MaxThreshold ?? largest * 1.01;
        var low = options.MinThreshold ?? largest * 1e-6;
        if (!(low > 0 && high > low)) throw new ArgumentException($"the threshold range must satisfy 0 < min < max (got {low} .. {high})");
        var grid = new List<double> { 0 };
        for (var k = 0; k < options.Thresholds; k++)
            grid.Add(low * Math.Pow(high / low, (double)k / (options.Thresholds - 1)));
        return grid;
    }

    private static EnsembleStatistics? MergeEnsembles(Dictionary<double, SparseFit> fits, double[] thresholds)
    {
        var first = fits[thresholds[0]].Ensemble;
        if (first is null) return null;
        var m = thresholds.Length;
        var p = first.InclusionProbability.GetLength(1);
        var inclusion = new double[m, p];
        var low = new double[m, p];
        var high = new double[m, p];
        var median = new double[m, p];
        for (var i = 0; i < m; i++)
        {
            var s = fits[thresholds[i]].Ensemble!;
            for (var j = 0; j < p; j++)
            {
                inclusion[i, j] = s.InclusionProbability[i, j];
                low[i, j] = s.Low[i, j];
                high[i, j] = s.High[i, j];
                median[i, j] = s.Median[i, j];
            }
        }
        return new EnsembleStatistics(inclusion, low, high, median, first.Models, first.Level);
    }
}
