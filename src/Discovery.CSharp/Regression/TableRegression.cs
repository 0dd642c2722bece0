using Discovery.Data;
using Discovery.Results;
using Symbolic;
using Symbolic.Search;

namespace Discovery.Regression;

/// <summary>Options of symbolic regression on a table (what <c>discovery sr</c> takes).</summary>
/// <param name="Target">The column to explain.</param>
/// <param name="Features">Input columns; null: every other column.</param>
/// <param name="Operators">Operators as users write them, e.g. "+,-,*,/,sin,exp".</param>
/// <param name="Seconds">Wall-clock limit; with <paramref name="Iterations"/> null and this null, 100 iterations.</param>
/// <param name="Iterations">Iteration limit.</param>
/// <param name="MaxSize">Largest complexity.</param>
/// <param name="Seed">Seed of every random choice.</param>
/// <param name="NoiseFree">The data is exact: stop as soon as an equation fits to rounding error.</param>
/// <param name="Threads">Worker threads (null: all cores); the result does not depend on it.</param>
/// <param name="Checkpoint">Checkpoint file: written after every iteration; when it exists at the start, the search resumes from it.</param>
/// <param name="SensibleNesting">Keep periodic functions out of periodic ones, exp and log out of exp and log, inverse trigonometric out of inverse trigonometric (<c>SearchSpace.SensibleNesting</c>).</param>
public sealed record TableRegressionOptions(
    string Target,
    IReadOnlyList<string>? Features = null,
    string Operators = "+,-,*,/",
    double? Seconds = null,
    int? Iterations = null,
    int MaxSize = 30,
    long Seed = 0,
    bool NoiseFree = false,
    int? Threads = null,
    string? Checkpoint = null,
    bool SensibleNesting = false);

/// <summary>
/// Symbolic regression on a table: picks the columns, runs the core's search, and packages the Pareto front and the
/// chosen equation as a <see cref="DiscoveryResult"/> (method "sr").
/// </summary>
public static class TableRegression
{
    /// <summary>The search options these table options stand for.</summary>
    public static SearchOptions SearchOptionsFor(TableRegressionOptions options, double targetVariance)
    {
        var (binary, unary) = OperatorNames.Parse(options.Operators);
        var regression = new SymbolicRegression()
            .WithOperators(binary, unary)
            .WithMaxSize(options.MaxSize)
            .WithSeed(options.Seed);
        if (options.Seconds is { } s) regression = regression.WithTimeout(TimeSpan.FromSeconds(s));
        if (options.Iterations is { } i) regression = regression.WithIterations(i);
        if (options.Threads is { } t) regression = regression.WithThreads(t);
        if (options.NoiseFree) regression = regression.WithTargetLoss(targetVariance * 1e-24);
        if (options.Checkpoint is { } c) regression = regression.WithCheckpoint(c);
        if (options.SensibleNesting) regression = regression.WithSensibleNesting();
        return regression.Options;
    }

    /// <summary>
    /// Runs the search; a cancelled token ends it early and the result keeps what was found so far. Islands evolve on
    /// <paramref name="scheduler"/> (e.g. a cluster) when given, else on threads of this process; the coordinator's
    /// work is the same either way.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown columns or operators, or data the search refuses.</exception>
    public static DiscoveryResult Run(Table table, TableRegressionOptions options, InputInfo? input = null,
        Action<SearchProgress>? progress = null, CancellationToken cancellationToken = default, IslandScheduler? scheduler = null)
    {
        var (data, searchOptions) = Prepare(table, options);
        scheduler ??= IslandWork.inProcess(searchOptions.Threads);
        var report = Microsoft.FSharp.Core.FuncConvert.FromAction<SearchProgress>(p => progress?.Invoke(p));
        var outcome = options.Checkpoint is { } checkpoint && File.Exists(checkpoint)
            ? Search.resumeOn(scheduler, searchOptions, data, checkpoint, report, cancellationToken)
            : Search.runOn(scheduler, searchOptions, data, Microsoft.FSharp.Collections.FSharpList<Expr>.Empty, report, cancellationToken);
        if (outcome.IsError) throw new ArgumentException(outcome.ErrorValue);
        var result = Package(table, options, data.Variables, data.Columns, data.Target, outcome.ResultValue, input);
        if (result.Pareto.Count == 0 && !result.Interrupted)
            throw new ArgumentException($"{table.Source}: no equation for '{options.Target}' has a finite loss; check the scale of the columns");
        return result;
    }

    /// <summary>The dataset and search options a table and its options stand for (what <see cref="Run"/> searches).</summary>
    /// <exception cref="ArgumentException">Unknown columns or operators.</exception>
    public static (Dataset Data, SearchOptions Options) Prepare(Table table, TableRegressionOptions options)
    {
        var target = table.Column(options.Target);
        var features = (options.Features ?? table.Names.Where(n => n != options.Target).ToList()).ToArray();
        if (features.Length == 0) throw new ArgumentException($"{table.Source}: no feature columns besides the target '{options.Target}'");
        if (features.Contains(options.Target)) throw new ArgumentException($"the target '{options.Target}' cannot also be a feature");
        var columns = features.Select(table.Column).ToArray();
        CheckScale(table, options.Target, target);

        var mean = target.Average();
        var variance = target.Sum(y => (y - mean) * (y - mean)) / target.Length;
        return (new Dataset(features, columns, target, null), SearchOptionsFor(options, variance));
    }

    /// <summary>
    /// The loss is a mean of squared errors: a target whose squares (summed over the rows, with room for a candidate's
    /// error to be a hundred times larger) overflow would give every equation an infinite loss and an empty front.
    /// </summary>
    private static void CheckScale(Table table, string name, double[] target)
    {
        var peak = target.Length == 0 ? 0 : target.Max(Math.Abs);
        if (double.IsFinite(peak * peak * target.Length * 1e4)) return;
        var exponent = (int)Math.Floor(Math.Log10(peak));
        throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{table.Source}, column '{name}': values up to {peak:G3} are too large for a squared-error fit (their squares overflow); divide the column by 1e{exponent}"));
    }

    private static DiscoveryResult Package(Table table, TableRegressionOptions options, string[] features, double[][] columns,
        double[] target, SearchResult result, InputInfo? input)
    {
        var chosen = result.Chosen?.Value;
        var equations = new List<EquationResult>();
        var metrics = new Dictionary<string, double>
        {
            ["iterations"] = result.Iterations,
            ["evaluations"] = result.Evaluations,
            ["seconds"] = result.Elapsed.TotalSeconds,
        };
        var series = new List<SeriesResult>();
        if (chosen is not null)
        {
            equations.Add(EquationForms.Of(options.Target, chosen.Expression, chosen.Complexity, chosen.Loss));
            var prediction = Algebra.Evaluate(Algebra.Compile(chosen.Expression, features), columns);
            metrics["loss"] = chosen.Loss;
            metrics["r2"] = RSquared(target, prediction);
            var rows = Downsample(target.Length, 2000);
            series.Add(new SeriesResult
            {
                Title = $"{options.Target}: data against model",
                Kind = "parity",
                XLabel = $"{options.Target} (data)",
                YLabel = $"{options.Target} (model)",
                X = rows.Select(r => target[r]).ToArray(),
                Y = new Dictionary<string, double[]> { ["model"] = rows.Select(r => prediction[r]).ToArray() },
            });
            series.Add(new SeriesResult
            {
                Title = $"{options.Target}: residuals",
                Kind = "residual",
                XLabel = "row",
                YLabel = "model - data",
                X = rows.Select(r => (double)r).ToArray(),
                Y = new Dictionary<string, double[]> { ["residual"] = rows.Select(r => prediction[r] - target[r]).ToArray() },
            });
        }
        var pareto = result.Front.Select(e => new ParetoPoint
        {
            Target = options.Target,
            Complexity = e.Complexity,
            Loss = e.Loss,
            Expression = Print.infix(e.Expression),
            Latex = Print.latex(e.Expression),
            Score = e.Score,
            Chosen = chosen is not null && e.Complexity == chosen.Complexity,
        }).ToList();
        return new DiscoveryResult
        {
            Method = "sr",
            Seed = options.Seed,
            Input = input,
            Equations = equations,
            Pareto = pareto,
            Metrics = metrics,
            Options = new Dictionary<string, string>
            {
                ["target"] = options.Target,
                ["features"] = string.Join(",", features),
                ["operators"] = options.Operators,
                ["seconds"] = options.Seconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                ["iterations"] = options.Iterations?.ToString() ?? "",
                ["maxsize"] = options.MaxSize.ToString(),
                ["noise_free"] = options.NoiseFree ? "true" : "false",
                ["nesting"] = options.SensibleNesting ? "sensible" : "free",
            },
            Series = series,
            Notes =
            [
                $"The search stopped by {Describe(result.StoppedBy)} after {result.Iterations} iterations and {result.Evaluations:N0} evaluations.",
                "A low loss shows that the equation reproduces these data; it does not prove that it is the law that produced them. " +
                "Check it on data it was not fitted to, and prefer the simplest equation on the front that fits within the noise.",
            ],
            Interrupted = result.StoppedBy.IsCancelled,
        };
    }

    private static string Describe(StopReason reason) =>
        reason.IsIterationLimit ? "its iteration limit"
        : reason.IsTimeLimit ? "its time limit"
        : reason.IsEvaluationLimit ? "its evaluation limit"
        : reason.IsTargetReached ? "reaching the target loss"
        : "cancellation (Ctrl+C)";

    /// <summary>Coefficient of determination.</summary>
    public static double RSquared(double[] data, double[] model)
    {
        var mean = data.Average();
        double residual = 0, total = 0;
        for (var i = 0; i < data.Length; i++)
        {
            residual += (data[i] - model[i]) * (data[i] - model[i]);
            total += (data[i] - mean) * (data[i] - mean);
        }
        return total == 0 ? (residual == 0 ? 1 : double.NegativeInfinity) : 1 - residual / total;
    }

    private static int[] Downsample(int rows, int limit) =>
        rows <= limit ? Enumerable.Range(0, rows).ToArray() : Enumerable.Range(0, limit).Select(i => (int)((long)i * rows / limit)).ToArray();
}
