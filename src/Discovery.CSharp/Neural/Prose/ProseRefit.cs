using Discovery.Differentiation;
using Discovery.Integration;
using MathNet.Numerics.LinearAlgebra;
using Symbolic;

namespace Discovery.Neural.Prose;

/// <summary>
/// Refits the constants of a decoded system against the observed window, SINDy-style: each component is a sum of
/// coefficient × monomial; the monomials of the decoded structure are evaluated on the observed states and the
/// coefficients are the least-squares fit (a tiny ridge) to fourth-order finite-difference derivatives of the window.
/// Terms whose share of the derivative is below <see cref="PruneShare"/> are then dropped and the rest refitted once
/// (one sequential-thresholding pass), so a spurious decoded term that the data does not support goes away.
/// </summary>
public static class ProseRefit
{
    /// <summary>A term whose RMS contribution is below this share of the derivative's RMS is dropped.</summary>
    public const double PruneShare = 0.01;

    /// <summary>
    /// The refitted components over variables u_0..u_{d-1}; <paramref name="r2"/> gets each component's R² against the
    /// derivatives. Components with non-finite fits keep their decoded form.
    /// </summary>
    public static IReadOnlyList<Expr> Refit(IReadOnlyList<Expr> components, double[] times, double[,] states, out double[] r2)
    {
        var d = states.GetLength(1);
        var rows = times.Length;
        var variables = Enumerable.Range(0, d).Select(ProseTokenizer.VariableName).ToArray();
        var derivatives = new FiniteDifference(4).DifferentiateColumns(times, states);
        var points = Enumerable.Range(0, rows).Select(k => Enumerable.Range(0, d).Select(i => states[k, i]).ToArray()).ToArray();
        var result = new List<Expr>();
        r2 = new double[components.Count];
        for (var c = 0; c < components.Count; c++)
        {
            var target = Enumerable.Range(0, rows).Select(k => c < d ? derivatives[k, c] : 0).ToArray();
            var monomials = ProseTerms.Terms(components[c]).Select(t => ProseTerms.Split(t).Monomial).Distinct().ToList();
            var columns = monomials.Select(m => Evaluate(m, variables, points)).ToList();
            if (c >= d || columns.Any(col => col is null))
            {
                result.Add(components[c]);
                r2[c] = double.NaN;
                continue;
            }
            var fit = Fit(columns!, target);
            var scale = Rms(target);
            var keep = Enumerable.Range(0, monomials.Count).Where(j => Math.Abs(fit[j]) * Rms(columns[j]!) >= PruneShare * scale).ToList();
            if (keep.Count > 0 && keep.Count < monomials.Count)
            {
                monomials = keep.Select(j => monomials[j]).ToList();
                columns = keep.Select(j => columns[j]).ToList();
                fit = Fit(columns!, target);
            }
            if (fit.Any(v => !double.IsFinite(v)))
            {
                result.Add(components[c]);
                r2[c] = double.NaN;
                continue;
            }
            var rounded = fit.Select(v => RoundSignificant(v, 4)).ToArray();
            result.Add(ProseTerms.Assemble(monomials, rounded));
            var residual = 0.0;
            for (var k = 0; k < rows; k++)
            {
                var model = 0.0;
                for (var j = 0; j < columns.Count; j++) model += fit[j] * columns[j]![k];
                residual += (target[k] - model) * (target[k] - model);
            }
            var mean = target.Average();
            var total = target.Sum(v => (v - mean) * (v - mean));
            r2[c] = total > 0 ? 1 - residual / total : double.NaN;
        }
        return result;
    }

    /// <summary>
    /// Integrates the system (over u_0..u_{d-1}) from <paramref name="start"/> at <paramref name="t0"/> and samples it at
    /// <paramref name="times"/> (after t0); null when it cannot be compiled or blows up.
    /// </summary>
    public static double[,]? Simulate(IReadOnlyList<Expr> components, double t0, double[] start, double[] times)
    {
        var d = start.Length;
        if (components.Count != d) return null;
        var compiled = Compile.ToOdeFunction(Enumerable.Range(0, d).Select(ProseTokenizer.VariableName).ToArray(), "t", [], components.ToArray());
        if (compiled.IsError) return null;
        var function = compiled.ResultValue;
        var x = new double[d];
        var dx = new double[d];
        var problem = new OdeProblem(d, (t, state, derivative) =>
        {
            state.CopyTo(x);
            function.Invoke(t, x, [], dx);
            for (var i = 0; i < d; i++) derivative[i] = Math.Abs(x[i]) > 1e8 ? double.NaN : dx[i];
        }, null, true);
        try
        {
            var solution = new DormandPrince54(new AdaptiveStepOptions(1e-8, 1e-10, MaxSteps: 200_000))
                .Solve(problem, start, new[] { t0 }.Concat(times).ToArray());
            var result = new double[times.Length, d];
            for (var k = 0; k < times.Length; k++)
                for (var i = 0; i < d; i++) result[k, i] = solution.States[k + 1, i];
            return result;
        }
        catch (Exception e) when (e is OdeIntegrationException or ArgumentException)
        {
            return null;
        }
    }

    private static double[]? Evaluate(Expr monomial, string[] variables, double[][] points)
    {
        try
        {
            var function = Algebra.CompileDelegate(monomial, variables);
            var values = points.Select(p => function(p)).ToArray();
            return values.All(double.IsFinite) ? values : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static double[] Fit(IReadOnlyList<double[]> columns, double[] target)
    {
        var a = Matrix<double>.Build.Dense(target.Length, columns.Count, (k, j) => columns[j][k]);
        var norms = Enumerable.Range(0, columns.Count).Select(j => Math.Max(a.Column(j).L2Norm(), 1e-12)).ToArray();
        var scaled = Matrix<double>.Build.Dense(target.Length, columns.Count, (k, j) => a[k, j] / norms[j]);
        var gram = scaled.TransposeThisAndMultiply(scaled) + Matrix<double>.Build.DenseIdentity(columns.Count) * 1e-10;
        var solution = gram.Solve(scaled.TransposeThisAndMultiply(Vector<double>.Build.Dense(target)));
        return Enumerable.Range(0, columns.Count).Select(j => solution[j] / norms[j]).ToArray();
    }

    private static double Rms(double[] values) => Math.Sqrt(values.Sum(v => v * v) / Math.Max(values.Length, 1));

    private static double RoundSignificant(double value, int digits)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        var scale = Math.Pow(10, digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
        return Math.Round(value * scale) / scale;
    }
}
