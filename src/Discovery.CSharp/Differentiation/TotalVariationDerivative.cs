namespace Discovery.Differentiation;

/// <summary>
/// Total-variation regularised differentiation (Chartrand 2011): the derivative u minimises
/// ½‖P(A u − x)‖² + α Σ √((u_{k+1} − u_k)² + ε), where A integrates u by the trapezoidal rule and P removes the mean
/// (the unknown integration constant). Solved by lagged diffusivity: each outer iteration freezes the TV weights and takes
/// a Gauss-Newton step with a Jacobi-preconditioned conjugate-gradient solve, all matrix-free in O(n) memory. Favours
/// piecewise-smooth derivatives and is robust to noise. The signal is scaled to unit spread and the grid to unit mean
/// spacing first, so <see cref="Alpha"/> does not depend on units.
/// </summary>
public sealed class TotalVariationDerivative : IDifferentiator
{
    /// <summary>A differentiator with regularisation weight <paramref name="alpha"/> and <paramref name="iterations"/> outer steps.</summary>
    public TotalVariationDerivative(double alpha = 0.2, int iterations = 30, double epsilon = 1e-8)
    {
        if (!(alpha > 0)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be positive");
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "at least one iteration");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive");
        Alpha = alpha;
        Iterations = iterations;
        Epsilon = epsilon;
    }

    /// <summary>Regularisation weight (in scaled units; larger = flatter derivative).</summary>
    public double Alpha { get; }

    /// <summary>Outer (lagged-diffusivity) iterations.</summary>
    public int Iterations { get; }

    /// <summary>Smoothing of |·| in the TV term (in scaled units).</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public string Name => $"total variation (α = {Alpha:G3})";

    /// <inheritdoc />
    public double[] Differentiate(ReadOnlySpan<double> times, ReadOnlySpan<double> values)
    {
        Differentiators.Check(times, values, 3, Name);
        var n = times.Length;
        var mean = 0.0;
        foreach (var v in values) mean += v;
        mean /= n;
        var spread = 0.0;
        foreach (var v in values) spread += (v - mean) * (v - mean);
        spread = Math.Sqrt(spread / n);
        if (spread == 0) return new double[n];
        var meanStep = (times[^1] - times[0]) / (n - 1);

        // Scaled problem: unit mean spacing, unit spread.
        var h = new double[n - 1];
        for (var k = 0; k < n - 1; k++) h[k] = (times[k + 1] - times[k]) / meanStep;
        var x = new double[n];
        for (var k = 0; k < n; k++) x[k] = (values[k] - mean) / spread;

        var u = new FiniteDifference(2).Differentiate(times, values);
        for (var k = 0; k < n; k++) u[k] *= meanStep / spread;

        var operators = new Operators(h);
        var weights = new double[n - 1];
        var gradient = new double[n];
        var step = new double[n];
        var residual = new double[n];
        var scratch = new double[n];
        var preconditioner = new double[n];
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            for (var k = 0; k < n - 1; k++)
            {
                var d = u[k + 1] - u[k];
                weights[k] = 1 / Math.Sqrt(d * d + Epsilon);
            }
            // gradient = Aᵀ P (A u − x) + α Dᵀ W D u
            operators.Integrate(u, residual);
            for (var k = 0; k < n; k++) residual[k] -= x[k];
            Operators.Center(residual);
            operators.IntegrateTransposed(residual, gradient);
            Operators.AddDiffusion(u, weights, Alpha, gradient);

            operators.Diagonal(weights, Alpha, preconditioner);
            for (var k = 0; k < n; k++) gradient[k] = -gradient[k];
            ConjugateGradient(operators, weights, gradient, step, preconditioner, scratch);
            var change = 0.0;
            var size = 0.0;
            for (var k = 0; k < n; k++)
            {
                u[k] += step[k];
                change += step[k] * step[k];
                size += u[k] * u[k];
            }
            if (change <= 1e-16 * Math.Max(size, 1e-300)) break;
        }
        for (var k = 0; k < n; k++) u[k] *= spread / meanStep;
        return u;
    }

    private void ConjugateGradient(Operators operators, double[] weights, double[] rhs, double[] solution, double[] preconditioner, double[] scratch)
    {
        var n = rhs.Length;
        Array.Clear(solution);
        var r = (double[])rhs.Clone();
        var z = new double[n];
        for (var k = 0; k < n; k++) z[k] = r[k] / preconditioner[k];
        var p = (double[])z.Clone();
        var hp = new double[n];
        var rz = Dot(r, z);
        var target = 1e-20 * Dot(rhs, rhs);
        for (var iteration = 0; iteration < Math.Min(n, 1000); iteration++)
        {
            operators.ApplyHessian(p, weights, Alpha, hp, scratch);
            var alpha = rz / Dot(p, hp);
            for (var k = 0; k < n; k++)
            {
                solution[k] += alpha * p[k];
                r[k] -= alpha * hp[k];
            }
            if (Dot(r, r) <= target) break;
            for (var k = 0; k < n; k++) z[k] = r[k] / preconditioner[k];
            var rzNew = Dot(r, z);
            var beta = rzNew / rz;
            rz = rzNew;
            for (var k = 0; k < n; k++) p[k] = z[k] + beta * p[k];
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var k = 0; k < a.Length; k++) sum += a[k] * b[k];
        return sum;
    }

    /// <summary>The matrix-free operators: trapezoidal integration A, its transpose, centring P, and the TV diffusion.</summary>
    private sealed class Operators(double[] h)
    {
        private readonly int _n = h.Length + 1;

        /// <summary>(A u)_i = Σ_{k&lt;i} h_k (u_k + u_{k+1}) / 2, with (A u)_0 = 0.</summary>
        public void Integrate(double[] u, double[] result)
        {
            result[0] = 0;
            for (var k = 0; k < _n - 1; k++) result[k + 1] = result[k] + 0.5 * h[k] * (u[k] + u[k + 1]);
        }

        /// <summary>Aᵀ v: u_j collects h_{j-1}/2 from rows ≥ j and h_j/2 from rows ≥ j + 1.</summary>
        public void IntegrateTransposed(double[] v, double[] result)
        {
            // With T_i = Σ_{r ≥ i} v_r: (Aᵀ v)_j = h_{j-1}/2 · T_j + h_j/2 · T_{j+1}, accumulated from the end.
            var tailAfter = 0.0;
            for (var j = _n - 1; j >= 0; j--)
            {
                var tail = tailAfter + v[j];
                var sum = 0.0;
                if (j >= 1) sum += 0.5 * h[j - 1] * tail;
                if (j < _n - 1) sum += 0.5 * h[j] * tailAfter;
                result[j] = sum;
                tailAfter = tail;
            }
        }

        /// <summary>Subtracts the mean (P = I − 11ᵀ/n).</summary>
        public static void Center(double[] v)
        {
            var mean = v.Average();
            for (var k = 0; k < v.Length; k++) v[k] -= mean;
        }

        /// <summary>result += α Dᵀ W D u.</summary>
        public static void AddDiffusion(double[] u, double[] weights, double alpha, double[] result)
        {
            for (var k = 0; k < weights.Length; k++)
            {
                var flux = alpha * weights[k] * (u[k + 1] - u[k]);
                result[k] -= flux;
                result[k + 1] += flux;
            }
        }

        /// <summary>result = (Aᵀ P A + α Dᵀ W D) v.</summary>
        public void ApplyHessian(double[] v, double[] weights, double alpha, double[] result, double[] scratch)
        {
            Integrate(v, scratch);
            Center(scratch);
            IntegrateTransposed(scratch, result);
            AddDiffusion(v, weights, alpha, result);
        }

        /// <summary>The diagonal of Aᵀ P A + α Dᵀ W D, for Jacobi preconditioning.</summary>
        public void Diagonal(double[] weights, double alpha, double[] result)
        {
            for (var j = 0; j < _n; j++)
            {
                // Column j of A: h_{j-1}/2 at row j, (h_{j-1} + h_j)/2 at rows below.
                var first = j >= 1 ? 0.5 * h[j - 1] : 0.0;
                var below = first + (j < _n - 1 ? 0.5 * h[j] : 0.0);
                var rowsBelow = _n - 1 - j;
                var squares = first * first + below * below * rowsBelow;
                var total = first + below * rowsBelow;
                var diagonal = squares - total * total / _n;
                if (j >= 1) diagonal += alpha * weights[j - 1];
                if (j < _n - 1) diagonal += alpha * weights[j];
                result[j] = Math.Max(diagonal, 1e-12);
            }
        }
    }
}
