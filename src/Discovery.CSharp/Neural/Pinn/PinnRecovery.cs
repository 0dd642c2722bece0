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

        var (theta, cost) = LevenbergMarquardt.Minimise(t =>
        {
            var f = Evaluate(t);
            var r = f.Select((v, k) => v - model[k]).ToArray();
            return r.All(double.IsFinite) ? r : null;
        }, parameters.Select(p => truth.Coefficients[p]).ToArray(), 100);
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
