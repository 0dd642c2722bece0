using Discovery.Integration;
using Discovery.SparseRegression;
using Microsoft.FSharp.Core;
using Symbolic;

namespace Discovery.Neural.Pinn;

/// <summary>
/// The last step of distillation for ODEs: the forms come from the networks, their coefficients (with the fitted
/// constants of the known part and the initial state) are refitted by solving the completed equations and matching the
/// data (Levenberg-Marquardt on the data misfit, each state scaled by its spread). Every data point then informs every
/// coefficient through the equations, which is more accurate than reading coefficients off a network that is least sure
/// where the states change slowly.
/// </summary>
internal static class TrajectoryRefit
{
    public sealed record Outcome(IReadOnlyList<DistilledTerm> Hidden, Dictionary<string, double> Parameters, double CostBefore, double CostAfter);

    public static Outcome? Run(PinnProblem problem, PinnData data, IReadOnlyList<DistilledTerm> distilled, IReadOnlyDictionary<string, double> fitted,
        double[] initialState, CancellationToken cancellationToken)
    {
        if (problem.Kind != PinnKind.Ode) return null;
        var names = new List<string>();
        var start = new List<double>();
        var parameterised = new Dictionary<string, DistilledTerm>();
        foreach (var d in distilled)
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
        foreach (var (name, value) in fitted)
        {
            names.Add(name);
            start.Add(value);
        }
        if (names.Count == 0) return null;
        var rhs = problem.Equations.Select(e => Distillation.Complete(e.RightHandSide, parameterised)).ToArray();
        var compiled = Symbolic.Compile.ToOdeFunction(problem.States.ToArray(), problem.Time, names.ToArray(), rhs);
        if (compiled.IsError) return null;
        var function = compiled.ResultValue;

        var times = data.Times.Distinct().Order().ToArray();
        var rowTime = data.Times.Select(t => Array.BinarySearch(times, t)).ToArray();
        var states = problem.States.Select(s => data.States[s]).ToArray();
        var scale = states.Select(c =>
        {
            var mean = c.Average();
            return Math.Max(Math.Sqrt(c.Average(v => (v - mean) * (v - mean))), 1e-12);
        }).ToArray();
        var dimension = states.Length;
        var solver = new DormandPrince54(new AdaptiveStepOptions(1e-8, 1e-8));
        double[]? Residuals(double[] theta)
        {
            var values = theta[..names.Count];
            var x0 = theta[names.Count..];
            var ode = new OdeProblem(dimension, (t, x, dx) =>
            {
                var xs = x.ToArray();
                var d = new double[dimension];
                function.Invoke(t, xs, values, d);
                d.CopyTo(dx);
            });
            OdeSolution solution;
            try
            {
                solution = solver.Solve(ode, x0, times);
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
        }

        var theta0 = start.Concat(initialState).ToArray();
        var before = Residuals(theta0);
        if (before is null) return null;
        var (theta, cost) = LevenbergMarquardt.Minimise(Residuals, theta0, 50, cancellationToken);
        var costBefore = before.Sum(v => v * v);
        if (!(cost < costBefore)) return null;

        var valueOf = names.Select((n, i) => (n, theta[i])).ToDictionary(p => p.n, p => p.Item2);
        var hidden = distilled.Select(d =>
        {
            var expression = Simplify.simplify(ExprModule.mapLeaves(FuncConvert.FromFunc<Expr, Expr>(
                leaf => leaf is Expr.Parameter p && valueOf.TryGetValue(p.name, out var v) ? ExprModule.approx(v) : leaf),
                parameterised[d.Term.Name].Expression));
            var r2 = d.R2;
            try
            {
                r2 = Metrics.R2(d.Values, FeatureMatrix.Evaluate([expression], d.Term.ArgumentNames, d.Arguments)[0]);
            }
            catch (ArgumentException)
            {
            }
            return d with { Expression = expression, R2 = r2, Source = d.Source + ", coefficients refitted to the data" };
        }).ToArray();
        return new Outcome(hidden, fitted.Keys.ToDictionary(n => n, n => valueOf[n]), costBefore, cost);
    }
}

/// <summary>A small Levenberg-Marquardt least-squares minimiser with forward-difference Jacobians.</summary>
internal static class LevenbergMarquardt
{
    /// <summary>Minimises the sum of squares of <paramref name="residuals"/> (null: the point is not admissible) from
    /// <paramref name="start"/>; returns the best point and its cost.</summary>
    public static (double[] Theta, double Cost) Minimise(Func<double[], double[]?> residuals, double[] start, int maxIterations,
        CancellationToken cancellationToken = default)
    {
        var theta = (double[])start.Clone();
        var current = residuals(theta);
        if (current is null) return (theta, double.PositiveInfinity);
        var cost = current.Sum(v => v * v);
        var lambda = 1e-3;
        var n = theta.Length;
        for (var iteration = 0; iteration < maxIterations && cost > 0 && !cancellationToken.IsCancellationRequested; iteration++)
        {
            var jacobian = new double[n][];
            var usable = true;
            for (var j = 0; j < n && usable; j++)
            {
                var h = 1e-7 * (1 + Math.Abs(theta[j]));
                var shifted = (double[])theta.Clone();
                shifted[j] += h;
                var f = residuals(shifted);
                if (f is null) usable = false;
                else jacobian[j] = f.Select((v, k) => (v - current[k]) / h).ToArray();
            }
            if (!usable) break;
            var a = new double[n, n];
            var g = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var k = 0; k < current.Length; k++) g[i] -= jacobian[i][k] * current[k];
                for (var j = 0; j <= i; j++)
                {
                    var s = 0.0;
                    for (var k = 0; k < current.Length; k++) s += jacobian[i][k] * jacobian[j][k];
                    a[i, j] = a[j, i] = s;
                }
            }
            var improved = false;
            var converged = false;
            for (var attempt = 0; attempt < 12 && !improved; attempt++)
            {
                var m = (double[,])a.Clone();
                for (var i = 0; i < n; i++) m[i, i] += lambda * Math.Max(a[i, i], 1e-12);
                var step = PinnRecovery.SolveLinear(m, g);
                if (step is null)
                {
                    lambda *= 10;
                    continue;
                }
                var trial = theta.Zip(step, (t, d) => t + d).ToArray();
                var values = residuals(trial);
                var trialCost = values?.Sum(v => v * v) ?? double.PositiveInfinity;
                if (trialCost < cost)
                {
                    improved = true;
                    converged = (cost - trialCost) < 1e-12 * cost;
                    (theta, current, cost) = (trial, values!, trialCost);
                    lambda = Math.Max(lambda / 10, 1e-12);
                }
                else lambda *= 10;
            }
            if (!improved || converged) break;
        }
        return (theta, cost);
    }
}
