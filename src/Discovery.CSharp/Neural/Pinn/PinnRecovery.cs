using Discovery.SparseRegression;
using Symbolic;

namespace Discovery.Neural.Pinn;

/// <summary>How a distilled hidden term compares with the truth.</summary>
/// <param name="Name">The hidden term.</param>
/// <param name="ExactForm">The distilled expression is a member of the true template's family: with its coefficients
/// refitted, the template reproduces the distilled expression at every sample to a relative RMS below 1e-6.</param>
/// <param name="CoefficientError">Largest relative error of those refitted coefficients against the true ones.</param>
/// <param name="Coefficients">The refitted coefficients.</param>
/// <param name="Misfit">Relative RMS difference between the refitted template and the distilled expression.</param>
public sealed record RecoveryCheck(string Name, bool ExactForm, double CoefficientError, IReadOnlyDictionary<string, double> Coefficients, double Misfit);

/// <summary>Recovery of hidden terms against known truths (tests, samples, sweeps).</summary>
public static class PinnRecovery
{
    /// <summary>
    /// Compares <paramref name="term"/> with <paramref name="truth"/>: the template's coefficients are fitted (Levenberg-
    /// Marquardt from the true values) to the distilled expression's values at the distillation samples. The term's
    /// arguments must be plain variables.
    /// </summary>
    public static RecoveryCheck Check(DistilledTerm term, HiddenTruth truth)
    {
        var names = term.Term.ArgumentNames.ToArray();
        double[] model;
        try
        {
            model = FeatureMatrix.Evaluate([term.Expression], names, term.Arguments)[0];
        }
        catch (ArgumentException)
        {
            return new RecoveryCheck(term.Term.Name, false, double.PositiveInfinity, new Dictionary<string, double>(), double.PositiveInfinity);
        }
        var parameters = truth.Coefficients.Keys.ToArray();
        var template = Algebra.Parse(truth.Template);
        var program = Algebra.Compile(template, names.Concat(parameters).ToArray());
        var rows = model.Length;
        double[] Evaluate(double[] theta)
        {
            var columns = term.Arguments.Concat(theta.Select(v => Enumerable.Repeat(v, rows).ToArray())).ToArray();
            return Algebra.Evaluate(program, columns);
        }
        double Cost(double[] f)
        {
            var s = 0.0;
            for (var k = 0; k < rows; k++) s += (f[k] - model[k]) * (f[k] - model[k]);
            return double.IsFinite(s) ? s : double.PositiveInfinity;
        }

        var theta = parameters.Select(p => truth.Coefficients[p]).ToArray();
        var current = Evaluate(theta);
        var cost = Cost(current);
        var lambda = 1e-3;
        var n = theta.Length;
        var converged = false;
        for (var iteration = 0; iteration < 100 && cost > 0 && !converged; iteration++)
        {
            var jacobian = new double[n][];
            for (var j = 0; j < n; j++)
            {
                var h = 1e-7 * (1 + Math.Abs(theta[j]));
                var shifted = (double[])theta.Clone();
                shifted[j] += h;
                var f = Evaluate(shifted);
                jacobian[j] = f.Select((v, k) => (v - current[k]) / h).ToArray();
            }
            var a = new double[n, n];
            var g = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var k = 0; k < rows; k++) g[i] -= jacobian[i][k] * (current[k] - model[k]);
                for (var j = 0; j < n; j++)
                    for (var k = 0; k < rows; k++) a[i, j] += jacobian[i][k] * jacobian[j][k];
            }
            var improved = false;
            for (var attempt = 0; attempt < 10 && !improved; attempt++)
            {
                var m = (double[,])a.Clone();
                for (var i = 0; i < n; i++) m[i, i] *= 1 + lambda;
                var step = SolveLinear(m, g);
                if (step is null)
                {
                    lambda *= 10;
                    continue;
                }
                var trial = theta.Zip(step, (t, d) => t + d).ToArray();
                var values = Evaluate(trial);
                var trialCost = Cost(values);
                if (trialCost < cost)
                {
                    improved = true;
                    converged = (cost - trialCost) / Math.Max(cost, 1e-300) < 1e-14;
                    (theta, current, cost) = (trial, values, trialCost);
                    lambda = Math.Max(lambda / 10, 1e-12);
                }
                else lambda *= 10;
            }
            if (!improved) break;
        }
        var scale = Math.Sqrt(model.Average(v => v * v));
        var misfit = scale > 0 ? Math.Sqrt(cost / rows) / scale : Math.Sqrt(cost / rows);
        var error = parameters.Select((p, j) => Math.Abs(theta[j] - truth.Coefficients[p]) / Math.Max(Math.Abs(truth.Coefficients[p]), 1e-12)).DefaultIfEmpty(0).Max();
        return new RecoveryCheck(term.Term.Name, misfit < 1e-6, error, parameters.Select((p, j) => (p, theta[j])).ToDictionary(q => q.p, q => q.Item2), misfit);
    }

    /// <summary>Solves a small dense system by Gaussian elimination with partial pivoting; null when singular.</summary>
    internal static double[]? SolveLinear(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(m[r, c]));
            if (!(Math.Abs(m[pivot, c]) > 1e-300)) return null;
            if (pivot != c)
            {
                for (var j = 0; j < n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
                (x[c], x[pivot]) = (x[pivot], x[c]);
            }
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r, c] / m[c, c];
                for (var j = c; j < n; j++) m[r, j] -= f * m[c, j];
                x[r] -= f * x[c];
            }
        }
        for (var c = n - 1; c >= 0; c--)
        {
            for (var j = c + 1; j < n; j++) x[c] -= m[c, j] * x[j];
            x[c] /= m[c, c];
        }
        return x.All(double.IsFinite) ? x : null;
    }
}
