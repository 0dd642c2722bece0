namespace Discovery.Differentiation;

/// <summary>
/// Cubic smoothing spline (Reinsch's algorithm): the function g minimising Σ (x_i - g(t_i))² + λ ∫ g''(t)² dt, found by
/// one banded (pentadiagonal) solve; its exact derivative at the samples is returned. With no λ given, λ is chosen so the
/// residual matches the noise level estimated from local cubic residuals of the data (discrepancy principle), so clean data
/// is nearly interpolated and noisy data is smoothed. Works on uneven time grids.
/// </summary>
public sealed class SmoothingSplineDerivative : ISmoothingDifferentiator
{
    /// <summary>A spline with smoothing weight <paramref name="lambda"/>, or null to choose it from the data.</summary>
    public SmoothingSplineDerivative(double? lambda = null)
    {
        if (lambda is { } l && !(l >= 0)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be non-negative");
        Lambda = lambda;
    }

    /// <summary>The smoothing weight, or null for automatic.</summary>
    public double? Lambda { get; }

    /// <inheritdoc />
    public string Name => Lambda is { } l ? $"smoothing spline (λ = {l:G3})" : "smoothing spline (automatic λ)";

    /// <inheritdoc />
    public double[] Differentiate(ReadOnlySpan<double> times, ReadOnlySpan<double> values)
    {
        var (g, gamma) = Fit(times, values);
        var n = times.Length;
        var result = new double[n];
        for (var i = 0; i < n - 1; i++)
        {
            var h = times[i + 1] - times[i];
            result[i] = (g[i + 1] - g[i]) / h - h * (2 * gamma[i] + gamma[i + 1]) / 6;
        }
        var hl = times[n - 1] - times[n - 2];
        result[n - 1] = (g[n - 1] - g[n - 2]) / hl + hl * (gamma[n - 2] + 2 * gamma[n - 1]) / 6;
        return result;
    }

    /// <summary>The smoothed values g(t_i).</summary>
    public double[] Smooth(ReadOnlySpan<double> times, ReadOnlySpan<double> values) => Fit(times, values).Values;

    /// <summary>Values and second derivatives (zero at the ends: a natural spline) of the fitted spline at the samples.</summary>
    private (double[] Values, double[] SecondDerivatives) Fit(ReadOnlySpan<double> times, ReadOnlySpan<double> values)
    {
        Differentiators.Check(times, values, 4, Name);
        var system = new ReinschSystem(times, values);
        var lambda = Lambda ?? system.ChooseLambda(EstimateNoise(times, values));
        return system.Solve(lambda);
    }

    /// <summary>
    /// Noise standard deviation estimated robustly: each sample is compared with the cubic through its two neighbours on
    /// either side (exact for smooth trends on any grid), and the median of the normalised residuals is taken.
    /// </summary>
    internal static double EstimateNoise(ReadOnlySpan<double> times, ReadOnlySpan<double> values)
    {
        var n = values.Length;
        if (n < 5) return 0;
        var residuals = new double[n - 4];
        Span<double> nodes = stackalloc double[4];
        for (var i = 2; i < n - 2; i++)
        {
            nodes[0] = times[i - 2];
            nodes[1] = times[i - 1];
            nodes[2] = times[i + 1];
            nodes[3] = times[i + 2];
            double prediction = 0, weightSquares = 0;
            for (var a = 0; a < 4; a++)
            {
                var w = 1.0;
                for (var b = 0; b < 4; b++)
                    if (b != a) w *= (times[i] - nodes[b]) / (nodes[a] - nodes[b]);
                var index = a < 2 ? i - 2 + a : i - 1 + a;
                prediction += w * values[index];
                weightSquares += w * w;
            }
            residuals[i - 2] = Math.Abs(values[i] - prediction) / Math.Sqrt(1 + weightSquares);
        }
        Array.Sort(residuals);
        var m = residuals.Length;
        var median = m % 2 == 1 ? residuals[m / 2] : 0.5 * (residuals[m / 2 - 1] + residuals[m / 2]);
        return median / 0.6745;
    }

    /// <summary>The banded system (R + λ QᵀQ) γ = Qᵀ y of Reinsch's algorithm, with g = y - λ Q γ.</summary>
    private sealed class ReinschSystem
    {
        private readonly int _n;
        private readonly double[] _y;
        private readonly double[] _a, _b, _c; // column m of Q: a at row m, b at row m+1, c at row m+2
        private readonly double[] _r0, _r1;   // R's diagonal and first off-diagonal
        private readonly double[] _q0, _q1, _q2; // QᵀQ's three upper diagonals
        private readonly double[] _qty;
        private readonly double _span;

        public ReinschSystem(ReadOnlySpan<double> times, ReadOnlySpan<double> values)
        {
            _n = times.Length;
            _y = values.ToArray();
            _span = times[^1] - times[0];
            var m = _n - 2;
            _a = new double[m];
            _b = new double[m];
            _c = new double[m];
            _r0 = new double[m];
            _r1 = new double[m];
            for (var k = 0; k < m; k++)
            {
                var h0 = times[k + 1] - times[k];
                var h1 = times[k + 2] - times[k + 1];
                _a[k] = 1 / h0;
                _b[k] = -1 / h0 - 1 / h1;
                _c[k] = 1 / h1;
                _r0[k] = (h0 + h1) / 3;
                _r1[k] = h1 / 6;
            }
            _q0 = new double[m];
            _q1 = new double[m];
            _q2 = new double[m];
            _qty = new double[m];
            for (var k = 0; k < m; k++)
            {
                _q0[k] = _a[k] * _a[k] + _b[k] * _b[k] + _c[k] * _c[k];
                if (k + 1 < m) _q1[k] = _b[k] * _a[k + 1] + _c[k] * _b[k + 1];
                if (k + 2 < m) _q2[k] = _c[k] * _a[k + 2];
                _qty[k] = _a[k] * _y[k] + _b[k] * _y[k + 1] + _c[k] * _y[k + 2];
            }
        }

        public (double[] Values, double[] SecondDerivatives) Solve(double lambda)
        {
            var m = _n - 2;
            var d0 = new double[m];
            var d1 = new double[m];
            var d2 = new double[m];
            for (var k = 0; k < m; k++)
            {
                d0[k] = _r0[k] + lambda * _q0[k];
                d1[k] = (k + 1 < m ? _r1[k] : 0) + lambda * _q1[k];
                d2[k] = lambda * _q2[k];
            }
            var gammaInterior = (double[])_qty.Clone();
            PentadiagonalLdlSolve(d0, d1, d2, gammaInterior);
            var g = (double[])_y.Clone();
            for (var k = 0; k < m; k++)
            {
                var w = lambda * gammaInterior[k];
                g[k] -= w * _a[k];
                g[k + 1] -= w * _b[k];
                g[k + 2] -= w * _c[k];
            }
            var gamma = new double[_n];
            Array.Copy(gammaInterior, 0, gamma, 1, m);
            return (g, gamma);
        }

        /// <summary>λ whose residual RMS equals <paramref name="noise"/> (bisection on log λ; RSS grows with λ).</summary>
        public double ChooseLambda(double noise)
        {
            var target = noise * noise * _n;
            var scale = Math.Pow(_span / (_n - 1), 3);
            double low = Math.Log(scale * 1e-8), high = Math.Log(scale * 1e14);
            if (Residual(Math.Exp(low)) >= target) return Math.Exp(low);
            if (Residual(Math.Exp(high)) <= target) return Math.Exp(high);
            for (var iteration = 0; iteration < 50 && high - low > 1e-3; iteration++)
            {
                var mid = 0.5 * (low + high);
                if (Residual(Math.Exp(mid)) < target) low = mid;
                else high = mid;
            }
            return Math.Exp(0.5 * (low + high));
        }

        private double Residual(double lambda)
        {
            var (g, _) = Solve(lambda);
            var sum = 0.0;
            for (var i = 0; i < _n; i++) sum += (g[i] - _y[i]) * (g[i] - _y[i]);
            return sum;
        }

        /// <summary>Solves a symmetric positive-definite pentadiagonal system (diagonals d0, d1, d2) in place by LDLᵀ.</summary>
        private static void PentadiagonalLdlSolve(double[] d0, double[] d1, double[] d2, double[] b)
        {
            var m = d0.Length;
            var diagonal = new double[m];
            var l1 = new double[m]; // L[k+1, k]
            var l2 = new double[m]; // L[k+2, k]
            for (var k = 0; k < m; k++)
            {
                var dk = d0[k];
                if (k >= 1) dk -= l1[k - 1] * l1[k - 1] * diagonal[k - 1];
                if (k >= 2) dk -= l2[k - 2] * l2[k - 2] * diagonal[k - 2];
                diagonal[k] = dk;
                if (k + 1 < m)
                {
                    var e = d1[k];
                    if (k >= 1) e -= l2[k - 1] * l1[k - 1] * diagonal[k - 1];
                    l1[k] = e / dk;
                }
                if (k + 2 < m) l2[k] = d2[k] / dk;
            }
            for (var k = 0; k < m; k++)
            {
                if (k >= 1) b[k] -= l1[k - 1] * b[k - 1];
                if (k >= 2) b[k] -= l2[k - 2] * b[k - 2];
            }
            for (var k = 0; k < m; k++) b[k] /= diagonal[k];
            for (var k = m - 1; k >= 0; k--)
            {
                if (k + 1 < m) b[k] -= l1[k] * b[k + 1];
                if (k + 2 < m) b[k] -= l2[k] * b[k + 2];
            }
        }
    }
}
