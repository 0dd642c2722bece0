using Discovery.Regression;
using Discovery.SparseRegression;
using Microsoft.FSharp.Collections;
using Symbolic;
using Symbolic.Search;

namespace Discovery.Neural.Pinn;

/// <summary>One form considered for a hidden term: where it came from ("sparse" or "search"), the expression in the
/// term's argument names, its size (nodes of the tree) and R² against the network.</summary>
public sealed record DistillationCandidate(string Source, Expr Expression, int Complexity, double R2);

/// <summary>A hidden network turned into an expression.</summary>
/// <param name="Term">The hidden term.</param>
/// <param name="Expression">The chosen form in the term's arguments (compound arguments substituted back).</param>
/// <param name="Complexity">Its size (nodes of the tree).</param>
/// <param name="R2">R² of the chosen form against the network at the samples.</param>
/// <param name="Source">"sparse" (polynomial sparse regression) or "search" (symbolic regression).</param>
/// <param name="Candidates">Every form considered.</param>
/// <param name="Arguments">The argument values sampled (one column per argument).</param>
/// <param name="Values">The network's values there.</param>
public sealed record DistilledTerm(HiddenTerm Term, Expr Expression, int Complexity, double R2, string Source,
    IReadOnlyList<DistillationCandidate> Candidates, double[][] Arguments, double[] Values);

/// <summary>
/// Distillation of a hidden network into symbols: a cheap first attempt by sparse regression on polynomial features of
/// the arguments (a sweep of thresholds; the model at the sharpest drop of log error per added term), then the core's
/// symbolic-regression search warm-started with it; of the forms that fit the network equally well (1 − R² within a
/// factor 2 or <see cref="DistillationOptions.Tolerance"/>), the smallest is kept.
/// </summary>
public static class Distillation
{
    /// <summary>Distils samples (<paramref name="arguments"/>, one column per argument of <paramref name="term"/>) of a
    /// hidden network's values. A cancelled token ends the search early with what it found.</summary>
    public static DistilledTerm Distil(HiddenTerm term, double[][] arguments, double[] values, DistillationOptions? options = null,
        long seed = 0, CancellationToken cancellationToken = default)
    {
        options ??= new DistillationOptions();
        options.Validate();
        var names = term.ArgumentNames.ToArray();
        if (arguments.Length != names.Length) throw new ArgumentException($"{term.Name} has {names.Length} arguments but {arguments.Length} columns were given");
        var candidates = new List<DistillationCandidate>();
        DistillationCandidate? sparse = null;
        if (options.PolynomialDegree > 0)
        {
            var (pick, front) = SparseModels(names, arguments, values, options.PolynomialDegree);
            sparse = pick;
            if (sparse is not null) candidates.Add(sparse);
            // The other models of the sparse front are not chosen here (the network cannot tell them apart from a
            // wiggle), but the data can: the trajectory refit tries them.
            candidates.AddRange(front.Where(c => sparse is null || !c.Expression.Equals(sparse.Expression)));
        }
        if (options.SearchSeconds > 0)
        {
            var found = Search(names, arguments, values, options, sparse?.Expression, seed, cancellationToken);
            if (found is not null) candidates.Add(found);
        }
        if (candidates.Count == 0) throw new ArgumentException($"no finite expression fits the network of {term.Name}");

        var ranked = candidates.Where(c => c.Source is "sparse" or "search").ToList();
        if (ranked.Count == 0) throw new ArgumentException($"no finite expression fits the network of {term.Name}");
        var best = ranked.Min(c => 1 - c.R2);
        var chosen = ranked.Where(c => 1 - c.R2 <= Math.Max(2 * best, best + options.Tolerance))
            .OrderBy(c => c.Complexity).ThenByDescending(c => c.R2).First();
        return new DistilledTerm(term, InStateVariables(term, chosen.Expression), chosen.Complexity, chosen.R2, chosen.Source, candidates,
            arguments, values);
    }

    /// <summary>A form written in the term's argument names, with compound arguments (such as <c>x*y</c> in
    /// <c>h1(x*y)</c>) substituted back, so it reads in the equation's own variables.</summary>
    public static Expr InStateVariables(HiddenTerm term, Expr expression)
    {
        var names = term.ArgumentNames.ToArray();
        for (var i = 0; i < names.Length; i++)
            if (!(term.Arguments[i] is Expr.Variable v && v.Item == names[i]))
                expression = ExprModule.substitute(names[i], term.Arguments[i], expression);
        return expression;
    }

    /// <summary>
    /// Sparse regression of <paramref name="values"/> on polynomial features of the arguments up to
    /// <paramref name="degree"/>: STLSQ over a logarithmic grid of thresholds, every distinct support refitted; on the
    /// Pareto front of (terms, 1 − R²) among models within 20 times the lowest error, the one with the steepest drop of
    /// log error per added term. Null when nothing fits.
    /// </summary>
    public static DistillationCandidate? SparsePolynomial(string[] names, double[][] arguments, double[] values, int degree) =>
        SparseModels(names, arguments, values, degree).Pick;

    /// <summary>The model <see cref="SparsePolynomial"/> picks and every model of its Pareto front (source
    /// "sparse front").</summary>
    private static (DistillationCandidate? Pick, IReadOnlyList<DistillationCandidate> Front) SparseModels(string[] names, double[][] arguments,
        double[] values, int degree)
    {
        var features = new PolynomialLibrary(degree).Features(names);
        var columns = FeatureMatrix.Evaluate(features, names, arguments);
        var problem = new RegressionProblem(columns, [values]);
        var full = new Stlsq(new StlsqOptions(0, 1e-10)).Fit(problem).Row(0);
        var largest = full.Max(Math.Abs);
        if (!(largest > 0) || !double.IsFinite(largest)) return (null, []);
        var models = new Dictionary<string, (double[] Row, int Terms, double Error)>();
        void Add(double[] row)
        {
            var terms = row.Count(c => c != 0);
            if (terms == 0) return;
            var key = string.Join(",", row.Select(c => c != 0 ? "1" : "0"));
            if (models.ContainsKey(key)) return;
            var r2 = Metrics.R2(values, problem.Predict(row));
            if (double.IsFinite(r2)) models[key] = (row, terms, Math.Max(1 - r2, 1e-14));
        }
        // Every support of one to three terms by least squares (collinear features along a trajectory can make the
        // thresholding path skip the sparsest model), then the STLSQ path for larger ones.
        var count = features.Count;
        foreach (var support in Subsets(count, Math.Min(3, count)))
            if (LeastSquaresOn(problem, columns, values, support) is { } row) Add(row);
        for (var k = 0; k <= 40; k++)
        {
            var threshold = largest * Math.Pow(10, -5 + 5.0 * k / 40);
            try
            {
                Add(new Stlsq(new StlsqOptions(threshold, 1e-10)).Fit(problem).Row(0));
            }
            catch (ArgumentException)
            {
            }
        }
        if (models.Count == 0) return (null, []);
        var lowest = models.Values.Min(m => m.Error);
        var pareto = Pareto(models.Values.Where(m => m.Error <= 20 * lowest));
        var (previousTerms, previousError) = (0, 1.0);
        var pick = pareto[0];
        var bestScore = double.NegativeInfinity;
        foreach (var m in pareto)
        {
            var score = -Math.Log(m.Error / previousError) / (m.Terms - previousTerms);
            if (score > bestScore)
            {
                bestScore = score;
                pick = m;
            }
            (previousTerms, previousError) = (m.Terms, m.Error);
        }
        DistillationCandidate Candidate(string source, (double[] Row, int Terms, double Error) m)
        {
            var expression = Simplify.simplify(FittedSindy.LinearCombination(m.Row, features));
            return new DistillationCandidate(source, expression, ExprModule.size(expression), 1 - m.Error);
        }
        // For the data, the whole front of up to five terms: a one-term model can be far from the network (which also
        // learned the noise) and still be the law.
        var wide = Pareto(models.Values).Where(m => m.Terms <= 5);
        return (Candidate("sparse", pick), wide.Select(m => Candidate("sparse front", m)).ToArray());
    }

    /// <summary>The best model of each size whose error is below that of every smaller one, by size.</summary>
    private static List<(double[] Row, int Terms, double Error)> Pareto(IEnumerable<(double[] Row, int Terms, double Error)> models)
    {
        var pareto = new List<(double[] Row, int Terms, double Error)>();
        foreach (var m in models.GroupBy(m => m.Terms).Select(g => g.MinBy(m => m.Error)).OrderBy(m => m.Terms))
            if (pareto.Count == 0 || m.Error < pareto[^1].Error) pareto.Add(m);
        return pareto;
    }

    private static IEnumerable<int[]> Subsets(int n, int maxSize)
    {
        for (var size = 1; size <= maxSize; size++)
        {
            var index = Enumerable.Range(0, size).ToArray();
            while (true)
            {
                yield return (int[])index.Clone();
                var i = size - 1;
                while (i >= 0 && index[i] == n - size + i) i--;
                if (i < 0) break;
                index[i]++;
                for (var j = i + 1; j < size; j++) index[j] = index[j - 1] + 1;
            }
        }
    }

    /// <summary>Least-squares coefficients on the given feature columns (zero elsewhere), or null when singular.</summary>
    private static double[]? LeastSquaresOn(RegressionProblem problem, double[][] columns, double[] values, int[] support)
    {
        var k = support.Length;
        var a = new double[k, k];
        var b = new double[k];
        for (var i = 0; i < k; i++)
        {
            var ci = columns[support[i]];
            for (var r = 0; r < values.Length; r++) b[i] += ci[r] * values[r];
            for (var j = 0; j <= i; j++)
            {
                var cj = columns[support[j]];
                var s = 0.0;
                for (var r = 0; r < values.Length; r++) s += ci[r] * cj[r];
                a[i, j] = a[j, i] = s;
            }
        }
        var x = PinnRecovery.SolveLinear(a, b);
        if (x is null) return null;
        var row = new double[problem.Features];
        for (var i = 0; i < k; i++) row[support[i]] = x[i];
        return row;
    }

    private static DistillationCandidate? Search(string[] names, double[][] arguments, double[] values, DistillationOptions options,
        Expr? guess, long seed, CancellationToken cancellationToken)
    {
        var (binary, unary) = OperatorNames.Parse(options.Operators);
        var mean = values.Average();
        var variance = values.Average(v => (v - mean) * (v - mean));
        var maxSize = Math.Max(options.MaxSize, guess is null ? 0 : Math.Min(60, ExprModule.size(guess) + 4));
        var search = new SymbolicRegression()
            .WithOperators(binary, unary)
            .WithMaxSize(maxSize)
            .WithSeed(seed)
            .WithTimeout(TimeSpan.FromSeconds(options.SearchSeconds))
            .WithTargetLoss(Math.Max(variance * 1e-12, 1e-300));
        if (options.SearchIterations is { } iterations) search = search.WithIterations(iterations);
        if (options.SearchThreads is { } threads) search = search.WithThreads(threads);
        SearchResult result;
        try
        {
            result = search.Fit(names, arguments, values, null!, guess is null ? [] : [guess], null!, cancellationToken);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (result.Chosen is null || result.Chosen.Value is not { } chosen) return null;
        var expression = Refinement.NormaliseQuotient(chosen.Expression);
        double r2;
        try
        {
            r2 = Metrics.R2(values, FeatureMatrix.Evaluate([expression], names, arguments)[0]);
        }
        catch (ArgumentException)
        {
            return null;
        }
        return double.IsFinite(r2) ? new DistillationCandidate("search", expression, ExprModule.size(expression), r2) : null;
    }

    /// <summary>The expression with every call of a hidden term replaced by its distilled form (arguments substituted).</summary>
    public static Expr Complete(Expr expression, IReadOnlyDictionary<string, DistilledTerm> distilled)
    {
        switch (expression)
        {
            case Expr.Placeholder ph when distilled.TryGetValue(ph.Item1, out var d):
                return d.Expression;
            case Expr.Sum s:
                return ExprModule.sum(ListModule.OfSeq(s.Item.Select(t => Complete(t, distilled))));
            case Expr.Product p:
                return ExprModule.product(ListModule.OfSeq(p.Item.Select(t => Complete(t, distilled))));
            case Expr.Power pw:
                return ExprModule.power(Complete(pw.Item1, distilled), Complete(pw.Item2, distilled));
            case Expr.Apply a:
                return ExprModule.apply(a.Item1, ListModule.OfSeq(a.Item2.Select(t => Complete(t, distilled))));
            default:
                return expression;
        }
    }
}
