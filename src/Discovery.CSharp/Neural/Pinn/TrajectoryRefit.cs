using Discovery.Integration;
using Discovery.Selection;
using Discovery.SparseRegression;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;
using Symbolic;

namespace Discovery.Neural.Pinn;

/// <summary>
/// The last step of distillation for ODEs, which checks the forms against the data rather than against the networks.
/// The coefficients of the distilled forms (with the fitted constants of the known part and the initial state) are
/// refitted by solving the completed equations and matching the data (Levenberg-Marquardt on the data misfit, each state
/// scaled by its spread): every data point then informs every coefficient through the equations, which is more accurate
/// than reading coefficients off a network that is least sure where the states change slowly. Then the form itself is
/// chosen on the data by <see cref="ModelSelection"/>: each term's other distillation candidates are tried in its place,
/// and terms of a sum are dropped one at a time while that improves the criterion, so a network's small wiggles that the
/// sparse fit or the search read as extra terms do not survive when the data does not need them.
/// </summary>
public static class TrajectoryRefit
{
    /// <summary>The refitted forms and constants, the data misfit (sum of squared scaled residuals) before and after, and
    /// the terms dropped on the data, as "h2: 0.0003*x^3".</summary>
    public sealed record Outcome(IReadOnlyList<DistilledTerm> Hidden, Dictionary<string, double> Parameters, double CostBefore, double CostAfter,
        IReadOnlyList<string> Dropped);

    /// <summary>One fit of given forms: the forms with refitted coefficients, the fitted constants, the initial state, the
    /// misfit and the number of free constants.</summary>
    private sealed record Fitted(DistilledTerm[] Hidden, Dictionary<string, double> Parameters, double[] InitialState, double CostBefore,
        double Cost, int Constants);

    /// <summary>
    /// Refits and selects. Null when the problem is not an ODE, when the completed equations cannot be solved, or when the
    /// refit does not lower the misfit of the distilled forms.
    /// </summary>
    public static Outcome? Run(PinnProblem problem, PinnData data, IReadOnlyList<DistilledTerm> distilled, IReadOnlyDictionary<string, double> fitted,
        double[] initialState, CancellationToken cancellationToken = default)
    {
        if (problem.Kind != PinnKind.Ode) return null;
        var misfit = new Misfit(problem, data);
        var observations = data.Rows * problem.States.Count;
        double Score(Fitted f) => ModelSelection.Criterion(f.Cost, observations, f.Constants);

        // The distilled forms first; a form that fits the network well can still make the equations unsolvable (a pole
        // the trajectory reaches), so then each term's candidates are tried in turn until the equations can be solved.
        var first = misfit.Fit(distilled.ToArray(), fitted, initialState, cancellationToken);
        var options = distilled.Select(Options).ToArray();
        var best = first ?? options.SelectMany((o, i) => o.Select(form =>
        {
            var forms = distilled.ToArray();
            forms[i] = form;
            return forms;
        })).Select(forms => cancellationToken.IsCancellationRequested ? null : misfit.Fit(forms, fitted, initialState, cancellationToken))
            .FirstOrDefault(f => f is not null);
        if (best is null || (first is not null && !(best.Cost < first.CostBefore))) return null;
        Fitted? Try(DistilledTerm[] forms) => cancellationToken.IsCancellationRequested ? null
            : misfit.Fit(forms, best.Parameters, best.InitialState, cancellationToken);

        // Joint moves first: every term at its sparse model of k terms (k = 1..5). Two overfitted forms can hold each
        // other in place, so that changing either alone looks worse than changing both.
        for (var k = 1; k <= 5; k++)
        {
            var forms = best.Hidden.Select((d, i) => options[i].FirstOrDefault(o => o.Source == "sparse front" && Terms(o.Expression) == k) ?? d)
                .ToArray();
            if (Try(forms) is { } trial && Score(trial) < Score(best)) best = trial;
        }

        // Coordinate descent over the candidates: each term's alternatives with the others as they stand, while the
        // criterion improves (a few rounds at most).
        for (var round = 0; round < 3; round++)
        {
            var improved = false;
            for (var i = 0; i < options.Length; i++)
                foreach (var form in options[i])
                {
                    var forms = (DistilledTerm[])best.Hidden.Clone();
                    forms[i] = form;
                    if (Try(forms) is { } trial && Score(trial) < Score(best))
                        (best, improved) = (trial, true);
                }
            if (!improved) break;
        }

        var dropped = new List<string>();
        while (Prune(best, Try, Score) is var (pruned, what) && pruned is not null)
        {
            best = pruned;
            dropped.Add(what);
        }
        var hidden = best.Hidden.Select(d => Finish(d, dropped.Any(x => x.StartsWith(d.Term.Name + ":", StringComparison.Ordinal)))).ToArray();
        return new Outcome(hidden, fitted.Keys.ToDictionary(n => n, n => best.Parameters[n]), first?.CostBefore ?? double.PositiveInfinity,
            best.Cost, dropped);
    }

    private static int Terms(Expr expression) => expression is Expr.Sum sum ? sum.Item.Length : 1;

    /// <summary>The term's other candidates (the sparse front, the search's form), written in the state variables.</summary>
    private static DistilledTerm[] Options(DistilledTerm d) => d.Candidates
        .Where(c => !Distillation.InStateVariables(d.Term, c.Expression).Equals(d.Expression))
        .Select(c => d with { Expression = Distillation.InStateVariables(d.Term, c.Expression), Source = c.Source })
        .ToArray();

    /// <summary>The best fit with one term of one sum dropped, when it scores better than <paramref name="current"/>.</summary>
    private static (Fitted? Pruned, string What) Prune(Fitted current, Func<DistilledTerm[], Fitted?> fit, Func<Fitted, double> score)
    {
        (Fitted? Pruned, string What) best = (null, "");
        var bestScore = score(current);
        for (var i = 0; i < current.Hidden.Length; i++)
        {
            if (Expanded(current.Hidden[i].Expression) is not Expr.Sum sum) continue;
            var terms = sum.Item.ToArray();
            for (var j = 0; j < terms.Length; j++)
            {
                var forms = (DistilledTerm[])current.Hidden.Clone();
                forms[i] = forms[i] with { Expression = ExprModule.sum(ListModule.OfSeq(terms.Where((_, k) => k != j))) };
                if (fit(forms) is not { } trial) continue;
                var s = score(trial);
                if (s < bestScore) (best, bestScore) = ((trial, $"{forms[i].Term.Name}: {Print.infixWith(Print.withDigits(4), terms[j])}"), s);
            }
        }
        return best;
    }

    /// <summary>The form multiplied out when that makes a sum of not many more nodes, so that a small term hidden in a
    /// factor (x*y*(0.002*x - 0.9) holds 0.002*x^2*y) can be dropped like any other.</summary>
    private static Expr Expanded(Expr expression)
    {
        var expanded = Simplify.expand(expression);
        return expanded is Expr.Sum && ExprModule.size(expanded) <= 2 * ExprModule.size(expression) + 10 ? expanded : expression;
    }

    private static DistilledTerm Finish(DistilledTerm d, bool pruned)
    {
        var r2 = d.R2;
        try
        {
            r2 = Metrics.R2(d.Values, FeatureMatrix.Evaluate([d.Expression], d.Term.ArgumentNames, d.Arguments)[0]);
        }
        catch (ArgumentException)
        {
        }
        var source = d.Source + ", coefficients refitted to the data" + (pruned ? ", terms the data does not need dropped" : "");
        return d with { Complexity = ExprModule.size(d.Expression), R2 = r2, Source = source };
    }

    /// <summary>The data misfit of completed equations: the data, its scales and the solver, shared by every fit.</summary>
    private sealed class Misfit(PinnProblem problem, PinnData data)
    {
        private readonly double[] times = data.Times.Distinct().Order().ToArray();
        private readonly double[][] states = problem.States.Select(s => data.States[s]).ToArray();
        // A step budget: a trial form with a pole on the path (a search form such as a/(x - b*y + c)) would otherwise make
        // the solver crawl for minutes before failing; such a form is simply not admissible.
        private readonly DormandPrince54 solver = new(new AdaptiveStepOptions(1e-8, 1e-8, MaxSteps: Math.Max(20_000, 50 * data.Rows)));

        private readonly double[] scale = problem.States.Select(s =>
        {
            var c = data.States[s];
            var mean = c.Average();
            return Math.Max(Math.Sqrt(c.Average(v => (v - mean) * (v - mean))), 1e-12);
        }).ToArray();

        private readonly int[] rowTime = RowTimes(data.Times);

        /// <summary>For each row, the index of its time among the distinct sorted times the solver reports.</summary>
        private static int[] RowTimes(double[] rows)
        {
            var distinct = rows.Distinct().Order().ToArray();
            return rows.Select(t => Array.BinarySearch(distinct, t)).ToArray();
        }

        /// <summary>Refits every approximate constant of <paramref name="forms"/>, the constants of the known part and
        /// the initial state; null when the equations do not compile or cannot be solved from the start.</summary>
        public Fitted? Fit(DistilledTerm[] forms, IReadOnlyDictionary<string, double> fitted, double[] initialState, CancellationToken cancellationToken)
        {
            var names = new List<string>();
            var start = new List<double>();
            var parameterised = new Dictionary<string, DistilledTerm>();
            foreach (var d in forms)
            {
                var k = 0;
                var expression = ExprModule.mapLeaves(FuncConvert.FromFunc<Expr, Expr>(leaf =>
                {
                    if (leaf is not Expr.Approx a) return leaf;
                    var name = $"{d.Term.Name}_c{++k}";
                    names.Add(name);
                    start.Add(a.Item);
                    return ExprModule.parameter(name, a.Item);
                }), d.Expression);
                parameterised[d.Term.Name] = d with { Expression = expression };
            }
            var hiddenConstants = names.Count;
            foreach (var (name, value) in fitted)
            {
                names.Add(name);
                start.Add(value);
            }
            if (names.Count == 0) return null;
            var rhs = problem.Equations.Select(e => Distillation.Complete(e.RightHandSide, parameterised)).ToArray();
            var compiled = Symbolic.Compile.ToOdeFunction(problem.States.ToArray(), problem.Time, names.ToArray(), rhs);
            if (compiled.IsError) return null;
            var residuals = Residuals(compiled.ResultValue, names.Count);
            var theta0 = start.Concat(initialState).ToArray();
            var before = residuals(theta0);
            if (before is null) return null;
            var (theta, cost) = LevenbergMarquardt.Minimise(residuals, theta0, 50, cancellationToken);
            var valueOf = names.Select((n, i) => (n, theta[i])).ToDictionary(p => p.n, p => p.Item2);
            var hidden = forms.Select(d => d with
            {
                Expression = Simplify.simplify(ExprModule.mapLeaves(FuncConvert.FromFunc<Expr, Expr>(
                    leaf => leaf is Expr.Parameter p && valueOf.TryGetValue(p.name, out var v) ? ExprModule.approx(v) : leaf),
                    parameterised[d.Term.Name].Expression)),
            }).ToArray();
            return new Fitted(hidden, fitted.Keys.ToDictionary(n => n, n => valueOf[n]), theta[names.Count..], before.Sum(v => v * v), cost,
                hiddenConstants + fitted.Count);
        }

        private Func<double[], double[]?> Residuals(OdeFunction function, int constants)
        {
            var dimension = states.Length;
            return theta =>
            {
                var values = theta[..constants];
                var ode = new OdeProblem(dimension, (t, x, dx) =>
                {
                    var d = new double[dimension];
                    function.Invoke(t, x.ToArray(), values, d);
                    d.CopyTo(dx);
                });
                OdeSolution solution;
                try
                {
                    solution = solver.Solve(ode, theta[constants..], times);
                }
                catch (Exception e) when (e is OdeIntegrationException or ArgumentException)
                {
                    return null;
                }
                if (solution.Times.Length != times.Length) return null;
                var r = new double[data.Rows * dimension];
                for (var k = 0; k < data.Rows; k++)
                    for (var i = 0; i < dimension; i++)
                        r[k * dimension + i] = (solution.States[rowTime[k], i] - states[i][k]) / scale[i];
                return r.All(double.IsFinite) ? r : null;
            };
        }
    }
}
