using System.Globalization;

namespace Discovery.SparseRegression;

/// <summary>Settings of <see cref="EnsembleOptimizer"/>.</summary>
/// <param name="Models">Number of models fitted.</param>
/// <param name="Bagging">Fit each model on rows drawn with replacement (bootstrap).</param>
/// <param name="SampleFraction">Rows per bag as a fraction of all rows.</param>
/// <param name="DropFeatures">Library ensembling: features left out of each model, chosen at random (0 = none).</param>
/// <param name="InclusionThreshold">A term is kept when at least this fraction of the models include it.</param>
/// <param name="IntervalLevel">Coverage of the reported coefficient intervals (central quantiles over the models).</param>
/// <param name="RefitOnSupport">Final coefficients: least squares on all rows over the kept terms (true), or the
/// median over the models (false).</param>
/// <param name="Seed">Seed of the bags and dropped features.</param>
public sealed record EnsembleOptions(
    int Models = 20,
    bool Bagging = true,
    double SampleFraction = 1.0,
    int DropFeatures = 0,
    double InclusionThreshold = 0.5,
    double IntervalLevel = 0.95,
    bool RefitOnSupport = true,
    int Seed = 0);

/// <summary>
/// Ensemble SINDy (Fasel, Kutz, Brunton and Brunton 2022): fits the inner optimizer on many bootstrap samples of the
/// rows and/or with random library terms left out, and reports for every term how often it was selected (inclusion
/// probability) and the spread of its coefficient (an interval), i.e. how sure we are of each term. The final model
/// keeps the terms selected by at least <see cref="EnsembleOptions.InclusionThreshold"/> of the models. The models are
/// independent and seeded one by one, so the result does not depend on how many run in parallel.
/// </summary>
public sealed class EnsembleOptimizer : ISparseRegressor
{
    /// <summary>An ensemble of <paramref name="inner"/> (default STLSQ) with <paramref name="options"/>.</summary>
    public EnsembleOptimizer(SparseOptimizer? inner = null, EnsembleOptions? options = null)
    {
        Inner = inner ?? new Stlsq();
        Options = options ?? new EnsembleOptions();
        if (Options.Models < 2) throw new ArgumentOutOfRangeException(nameof(options), Options.Models, "an ensemble needs at least 2 models");
        if (!(Options.SampleFraction > 0 && Options.SampleFraction <= 10))
            throw new ArgumentOutOfRangeException(nameof(options), Options.SampleFraction, "the sample fraction must be in (0, 10]");
        if (Options.DropFeatures < 0) throw new ArgumentOutOfRangeException(nameof(options), Options.DropFeatures, "cannot drop a negative number of features");
        if (!Options.Bagging && Options.DropFeatures == 0)
            throw new ArgumentException("an ensemble needs bagging, dropped features or both");
        if (!(Options.InclusionThreshold > 0 && Options.InclusionThreshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(options), Options.InclusionThreshold, "the inclusion threshold must be in (0, 1]");
        if (!(Options.IntervalLevel > 0 && Options.IntervalLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(options), Options.IntervalLevel, "the interval level must be in (0, 1)");
    }

    /// <summary>The optimizer fitted on each sample.</summary>
    public SparseOptimizer Inner { get; }

    /// <summary>The settings.</summary>
    public EnsembleOptions Options { get; }

    /// <inheritdoc />
    public double Threshold => Inner.Threshold;

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"ensemble of {Options.Models} x {Inner.Name}{(Options.Bagging ? ", bagging" : "")}{(Options.DropFeatures > 0 ? $", dropping {Options.DropFeatures} term(s)" : "")}");

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            var settings = new Dictionary<string, string>(Inner.Settings)
            {
                ["optimizer"] = "ensemble",
                ["inner"] = Inner.Settings["optimizer"],
                ["models"] = Options.Models.ToString(CultureInfo.InvariantCulture),
                ["bagging"] = Options.Bagging ? "true" : "false",
                ["drop"] = Options.DropFeatures.ToString(CultureInfo.InvariantCulture),
                ["inclusion_threshold"] = Options.InclusionThreshold.ToString("R", CultureInfo.InvariantCulture),
                ["seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
            };
            return settings;
        }
    }

    /// <inheritdoc />
    public ISparseRegressor WithThreshold(double threshold) => new EnsembleOptimizer(Inner.WithThreshold(threshold), Options);

    /// <inheritdoc />
    public SparseFit Fit(RegressionProblem problem)
    {
        var models = Options.Models;
        var p = problem.Features;
        var m = problem.Targets;
        var fits = new SparseFit[models];
        var available = new bool[models][];
        Parallel.For(0, models, b =>
        {
            var random = new Random(unchecked(Options.Seed * 1_000_003 + b * 7919 + 1));
            double[]? weights = null;
            if (Options.Bagging)
            {
                weights = new double[problem.Rows];
                var draws = Math.Max(1, (int)Math.Round(Options.SampleFraction * problem.Rows));
                for (var k = 0; k < draws; k++) weights[random.Next(problem.Rows)] += 1;
            }
            var excluded = new bool[p];
            if (Options.DropFeatures > 0)
            {
                var order = Enumerable.Range(0, p).ToArray();
                random.Shuffle(order);
                foreach (var j in order.Take(Math.Min(Options.DropFeatures, Math.Max(0, p - 1)))) excluded[j] = true;
            }
            available[b] = excluded.Select(e => !e).ToArray();
            fits[b] = Inner.Fit(problem, weights, excluded);
        });

        var inclusion = new double[m, p];
        var low = new double[m, p];
        var high = new double[m, p];
        var median = new double[m, p];
        var tail = (1 - Options.IntervalLevel) / 2;
        var values = new List<double>(models);
        for (var i = 0; i < m; i++)
        for (var j = 0; j < p; j++)
        {
            values.Clear();
            var selected = 0;
            for (var b = 0; b < models; b++)
            {
                if (!available[b][j]) continue;
                var c = fits[b].Coefficient(i, j);
                values.Add(c);
                if (c != 0) selected++;
            }
            if (values.Count == 0) continue;
            values.Sort();
            inclusion[i, j] = (double)selected / values.Count;
            low[i, j] = Quantile(values, tail);
            high[i, j] = Quantile(values, 1 - tail);
            median[i, j] = Quantile(values, 0.5);
        }

        // The final model: terms selected often enough, refitted on every row (or the medians).
        var state = new SparseIteration(problem, null, null);
        for (var i = 0; i < m; i++)
        for (var j = 0; j < p; j++)
            state.Support[i][j] = state.IsAvailable(j) && inclusion[i, j] >= Options.InclusionThreshold;
        for (var i = 0; i < m; i++)
        {
            if (Options.RefitOnSupport) state.Refit(i, Inner.Unbias ? 0 : Inner.Alpha);
            else
                for (var j = 0; j < p; j++)
                    state.Coefficients[i][j] = state.Support[i][j] ? median[i, j] : 0;
        }
        var final = state.ToFit(fits.All(f => f.Converged));
        return new SparseFit(final.Raw, fits.Max(f => f.Iterations), final.Converged, final.TrainingR2.ToArray(), [],
            new EnsembleStatistics(inclusion, low, high, median, models, Options.IntervalLevel));
    }

    /// <summary>Linear-interpolation quantile of sorted values (numpy's default).</summary>
    private static double Quantile(List<double> sorted, double q)
    {
        if (sorted.Count == 1) return sorted[0];
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
