using Discovery.Data;
using Discovery.Differentiation;
using Symbolic;
using Symbolic.Search;

namespace Discovery.SparseRegression;

/// <summary>Settings of <see cref="Refinement"/>.</summary>
/// <param name="R2Threshold">Equations whose R² on the fitted rows (<see cref="FittedSindy.TrainingR2"/>: derivative
/// samples, or weak-form windows) is below this are refined (0.999 suits clean data).</param>
/// <param name="Always">Refine every equation, whatever its R².</param>
/// <param name="Seconds">Time limit of the search per equation.</param>
/// <param name="UnaryOperators">Unary operators the search may use besides add, sub, mul and div (e.g. "exp", "sin").</param>
/// <param name="MaxSize">Largest complexity the search builds (raised to hold the guesses, up to 80).</param>
/// <param name="MaxRows">Rows given to the search (evenly thinned when there are more).</param>
/// <param name="Improvement">The search result replaces the SINDy equation when its mean squared error is at most this
/// fraction of SINDy's.</param>
/// <param name="RationalGuesses">Also seed the search with rational candidates p/q found by an implicit sparse fit
/// (x'·(1 + Σ c_d θ_d) = Σ a_j θ_j, in the spirit of SINDy-PI).</param>
/// <param name="Seed">Seed of the search.</param>
/// <param name="Threads">Worker threads of the search (null: all cores).</param>
public sealed record RefinementOptions(
    double R2Threshold = 0.999,
    bool Always = false,
    double Seconds = 10,
    IReadOnlyList<string>? UnaryOperators = null,
    int MaxSize = 25,
    int MaxRows = 2000,
    double Improvement = 0.5,
    bool RationalGuesses = true,
    int Seed = 0,
    int? Threads = null);

/// <summary>What refinement did for one equation.</summary>
/// <param name="State">The state.</param>
/// <param name="SindyR2">R² of the SINDy equation on the rows it was fitted to.</param>
/// <param name="Searched">Whether the search ran.</param>
/// <param name="Candidate">The search's chosen equation (null when it did not run or found nothing).</param>
/// <param name="CandidateR2">Its R² against the estimated derivatives.</param>
/// <param name="Kept">Whether the candidate replaced the SINDy equation.</param>
/// <param name="Guesses">The warm-start guesses (the SINDy equation first).</param>
/// <param name="Reason">Why it was kept or not, in words.</param>
public sealed record TargetRefinement(string State, double SindyR2, bool Searched, Expr? Candidate, double? CandidateR2, bool Kept,
    IReadOnlyList<Expr> Guesses, string Reason);

/// <summary>The refined model and what happened to each equation.</summary>
public sealed record RefinementResult(FittedSindy Model, IReadOnlyList<TargetRefinement> Targets);

/// <summary>
/// Beyond the library: when a SINDy equation does not fit well (e.g. a rational right-hand side such as
/// x·y/(1 + x²) that no polynomial library holds), the core's symbolic-regression search is run on (inputs → estimated
/// derivative), warm-started with the SINDy equation and with rational candidates from an implicit sparse fit, over
/// add, sub, mul, div and the chosen unary operators. The search's chosen equation replaces the SINDy one when it fits
/// clearly better (<see cref="RefinementOptions.Improvement"/>) within the size limit.
/// </summary>
public static class Refinement
{
    /// <summary>Refines the equations of <paramref name="model"/> on <paramref name="data"/> (the data it was fitted on).</summary>
    public static RefinementResult Refine(FittedSindy model, TrajectoryData data, RefinementOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new RefinementOptions();
        if (!(options.Seconds > 0)) throw new ArgumentException("the refinement time must be positive");
        if (!(options.Improvement > 0 && options.Improvement <= 1)) throw new ArgumentException("the improvement factor must be in (0, 1]");
        var (inputs, rates) = Samples(model, data);
        var rows = inputs[0].Length;
        var stride = Math.Max(1, (int)Math.Ceiling((double)rows / options.MaxRows));
        var picked = Enumerable.Range(0, rows).Where(k => k % stride == 0).ToArray();
        var searchInputs = inputs.Select(c => picked.Select(k => c[k]).ToArray()).ToArray();
        var features = FeatureMatrix.Evaluate(model.Features, model.InputNames, searchInputs);

        var refined = model;
        var reports = new List<TargetRefinement>();
        for (var i = 0; i < model.StateNames.Count; i++)
        {
            var state = model.StateNames[i];
            var sindyR2 = model.TrainingR2[i];
            var guesses = new List<Expr> { model.RightHandSide(i) };
            if (!options.Always && sindyR2 >= options.R2Threshold)
            {
                reports.Add(new TargetRefinement(state, sindyR2, false, null, null, false, guesses,
                    $"R² {sindyR2:G6} is at least {options.R2Threshold:G4}: the library fits"));
                continue;
            }
            var sindy = FeatureMatrix.Evaluate([model.RightHandSide(i)], model.InputNames, inputs)[0];
            var target = picked.Select(k => rates[i][k]).ToArray();
            if (options.RationalGuesses)
                foreach (var g in RationalCandidates(model, features, target))
                    if (!guesses.Contains(g)) guesses.Add(g);
            var sindyLoss = Metrics.MeanSquaredError(target, picked.Select(k => sindy[k]).ToArray());
            var variance = Variance(target);
            // The guesses must fit in the search space, or the hall of fame would drop them.
            var maxSize = Math.Min(80, Math.Max(options.MaxSize, guesses.Max(g => ExprModule.size(g)) + 4));
            var search = new SymbolicRegression()
                .WithOperators(["add", "sub", "mul", "div"], options.UnaryOperators ?? [])
                .WithMaxSize(maxSize)
                .WithMaxDepth(Math.Max(12, maxSize / 2))
                .WithSeed(options.Seed + i)
                .WithTimeout(TimeSpan.FromSeconds(options.Seconds))
                .WithTargetLoss(Math.Max(variance * 1e-12, 1e-300));
            if (options.Threads is { } threads) search = search.WithThreads(threads);
            var result = search.Fit(model.InputNames.ToArray(), searchInputs, target, null!, guesses, null!, cancellationToken);
            if (result.Chosen is null || result.Chosen.Value is not { } chosen)
            {
                reports.Add(new TargetRefinement(state, sindyR2, true, null, null, false, guesses, "the search found no finite equation"));
                continue;
            }
            var candidate = NormaliseQuotient(chosen.Expression);
            double candidateR2;
            try
            {
                candidateR2 = Metrics.R2(rates[i], FeatureMatrix.Evaluate([candidate], model.InputNames, inputs)[0]);
            }
            catch (ArgumentException)
            {
                reports.Add(new TargetRefinement(state, sindyR2, true, candidate, null, false, guesses, "the search's equation is not finite on all the data"));
                continue;
            }
            var better = chosen.Loss <= options.Improvement * sindyLoss;
            if (better) refined = refined.WithEquation(i, candidate, candidateR2);
            reports.Add(new TargetRefinement(state, sindyR2, true, candidate, candidateR2, better, guesses, better
                ? $"the search's equation fits better (mean squared error {chosen.Loss:G4} against {sindyLoss:G4})"
                : $"the search's equation is not clearly better (mean squared error {chosen.Loss:G4} against {sindyLoss:G4})"));
        }
        return new RefinementResult(refined, reports);
    }

    /// <summary>
    /// Rational candidates p/q: sparse fits of x' = Σ a_j θ_j − Σ c_d (x' θ_d) over the library θ and the
    /// denominator terms θ_d (the library's non-constant polynomial terms of degree at most 2), at a few thresholds around
    /// the model's. Each fit with a non-zero c gives (Σ a_j θ_j) / (1 + Σ c_d θ_d).
    /// </summary>
    public static IReadOnlyList<Expr> RationalCandidates(FittedSindy model, double[][] features, double[] target)
    {
        var denominators = Enumerable.Range(0, model.Features.Count)
            .Where(j => PolynomialDegree(model.Features[j]) is >= 1 and <= 2).ToArray();
        if (denominators.Length == 0) return [];
        var columns = features.Concat(denominators.Select(j =>
        {
            var column = new double[target.Length];
            for (var k = 0; k < column.Length; k++) column[k] = -target[k] * features[j][k];
            return column;
        })).ToArray();
        var problem = new RegressionProblem(columns, [target]);
        var candidates = new List<Expr>();
        var baseThreshold = model.Learner.Optimizer.Threshold > 0 ? model.Learner.Optimizer.Threshold : 0.1;
        foreach (var factor in new[] { 0.1, 0.3, 1.0, 3.0 })
        {
            var row = new Stlsq(new StlsqOptions(baseThreshold * factor)).Fit(problem).Row(0);
            var numerator = FittedSindy.LinearCombination(row[..features.Length], model.Features);
            var denominatorTerms = denominators.Select((j, d) => (Feature: model.Features[j], Coefficient: row[features.Length + d]))
                .Where(t => t.Coefficient != 0).ToArray();
            if (denominatorTerms.Length == 0) continue;
            var denominator = ExprModule.add(ExprModule.one,
                FittedSindy.LinearCombination(denominatorTerms.Select(t => t.Coefficient).ToArray(), denominatorTerms.Select(t => t.Feature).ToArray()));
            var candidate = ExprModule.divide(numerator, denominator);
            if (!candidates.Contains(candidate)) candidates.Add(candidate);
        }
        return candidates;
    }

    /// <summary>
    /// A quotient p/q whose denominator has a constant term c, rewritten as (p/c)/(q/c) with both sides expanded, so the
    /// denominator reads 1 + ... (the search tunes both sides freely, and p/q has the same value at any common scale).
    /// Other expressions are returned as they are.
    /// </summary>
    public static Expr NormaliseQuotient(Expr e)
    {
        if (e is not Expr.Product product) return e;
        var factors = product.Item.ToList();
        var index = factors.FindIndex(f => f is Expr.Power { Item1: Expr.Sum } power && power.Item2.Equals(ExprModule.minusOne));
        if (index < 0) return e;
        var denominator = ((Expr.Power)factors[index]).Item1;
        var constant = ((Expr.Sum)denominator).Item.FirstOrDefault(t => t is Expr.Number or Expr.Approx);
        if (constant is null) return e;
        var c = Symbolic.Evaluate.at(new Dictionary<string, double>(), constant);
        if (c == 0 || !double.IsFinite(c)) return e;
        factors.RemoveAt(index);
        var numerator = ExprModule.product(Microsoft.FSharp.Collections.ListModule.OfSeq(factors));
        var scale = ExprModule.approx(1 / c);
        return ExprModule.divide(Simplify.expand(ExprModule.multiply(scale, numerator)), Simplify.expand(ExprModule.multiply(scale, denominator)));
    }

    /// <summary>The degree of a monomial (product of powers of variables with a numeric coefficient), or −1 otherwise.</summary>
    public static int PolynomialDegree(Expr e) => e switch
    {
        Expr.Number or Expr.Approx => 0,
        Expr.Variable => 1,
        Expr.Power { Item1: Expr.Variable, Item2: Expr.Number n } when n.Item.IsInteger && n.Item.Sign > 0 => (int)n.Item.Numerator,
        Expr.Product p => p.Item.Select(PolynomialDegree).Aggregate(0, (a, d) => a < 0 || d < 0 ? -1 : a + d),
        _ => -1,
    };

    /// <summary>Inputs (smoothed states when the learner smooths) and estimated derivatives, stacked over trajectories.</summary>
    private static (double[][] Inputs, double[][] Rates) Samples(FittedSindy model, TrajectoryData data)
    {
        var learner = model.Learner;
        var inputs = model.InputNames.Select(_ => new List<double>()).ToArray();
        var rates = model.StateNames.Select(_ => new List<double>()).ToArray();
        var columnOf = model.InputNames.Select(name =>
        {
            var index = data.IndexOf(name);
            return index >= 0 ? index : throw new ArgumentException($"the data has no column '{name}'");
        }).ToArray();
        foreach (var trajectory in data.Trajectories)
        {
            for (var v = 0; v < columnOf.Length; v++)
            {
                var column = trajectory.Column(columnOf[v]);
                var isState = model.StateNames.Contains(model.InputNames[v]);
                if (isState && learner.Options.SmoothStates && learner.Differentiation is ISmoothingDifferentiator smoother)
                    column = smoother.Smooth(trajectory.Times, column);
                inputs[v].AddRange(column);
            }
            for (var i = 0; i < model.StateNames.Count; i++)
                rates[i].AddRange(learner.Differentiation.Differentiate(trajectory.Times, trajectory.Column(data.IndexOf(model.StateNames[i]))));
        }
        return (inputs.Select(c => c.ToArray()).ToArray(), rates.Select(c => c.ToArray()).ToArray());
    }

    private static double Variance(double[] values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Length;
    }
}
