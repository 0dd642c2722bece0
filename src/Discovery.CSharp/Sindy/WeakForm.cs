namespace Discovery.SparseRegression;

/// <summary>Settings of the weak (integral) formulation.</summary>
/// <param name="Windows">Test functions per trajectory (fewer when the trajectory is short); they overlap.</param>
/// <param name="WindowSamples">Samples each test function spans (its support), at least 2·Power + 1; null chooses it
/// from the data's spectrum (see <see cref="WeakForm.AutomaticWidth"/>).</param>
/// <param name="Power">The test functions are ((t − a)(b − t))^Power on their window [a, b]: higher is smoother.</param>
public sealed record WeakFormOptions(int Windows = 400, int? WindowSamples = null, int Power = 4)
{
    /// <summary>Checks the settings; ArgumentException otherwise.</summary>
    public void Validate()
    {
        if (Windows < 1) throw new ArgumentException($"the weak form needs at least one window (got {Windows})");
        if (Power < 1) throw new ArgumentException($"the test-function power must be at least 1 (got {Power})");
        if (WindowSamples is { } w && w < 2 * Power + 1)
            throw new ArgumentException($"a window needs at least 2*power + 1 = {2 * Power + 1} samples (got {w})");
    }
}

/// <summary>
/// Weak-form SINDy (Messenger and Bortz 2021): instead of estimating x' pointwise, multiply x' = Θ(x)ξ by smooth test
/// functions φ_k that vanish at the ends of their windows and integrate by parts: −∫φ_k' x dt = ∫φ_k Θ(x) dt ξ. Each
/// window gives one regression row, and no derivative of the (noisy) data is taken: the integrals average the noise
/// out. Integrals use the trapezoidal rule on the samples (exact boundary terms vanish because φ_k does), and each φ_k
/// is normalised to ∫φ_k dt = 1 so the rows read as local averages of x' and of the features.
/// </summary>
public static class WeakForm
{
    /// <summary>
    /// The windows [first sample, last sample] of one trajectory of <paramref name="samples"/> samples, each
    /// <paramref name="width"/> samples wide, evenly spread.
    /// </summary>
    public static IReadOnlyList<(int First, int Last)> Windows(int samples, int width, WeakFormOptions options)
    {
        options.Validate();
        width = Math.Min(width, samples);
        if (width < 2 * options.Power + 1)
            throw new ArgumentException($"a trajectory of {samples} samples is too short for the weak form (needs {2 * options.Power + 1})");
        var positions = samples - width + 1;
        var count = Math.Min(options.Windows, positions);
        var result = new List<(int, int)>(count);
        for (var k = 0; k < count; k++)
        {
            var first = count == 1 ? 0 : (int)Math.Round((double)k * (positions - 1) / (count - 1));
            if (result.Count > 0 && result[^1].Item1 == first) continue;
            result.Add((first, first + width - 1));
        }
        return result;
    }

    /// <summary>
    /// Quadrature weights of φ and of φ' on one window: <c>phi[i]</c> ≈ w_i φ(t_i) and <c>dphi[i]</c> ≈ w_i φ'(t_i) for
    /// the samples <paramref name="times"/> of the window (trapezoidal weights w_i), with ∫φ = 1.
    /// </summary>
    public static (double[] Phi, double[] DPhi) TestFunction(ReadOnlySpan<double> times, int power)
    {
        var n = times.Length;
        var a = times[0];
        var b = times[^1];
        var half = (b - a) / 2;
        var phi = new double[n];
        var dphi = new double[n];
        var integral = 0.0;
        for (var i = 0; i < n; i++)
        {
            // Scaled to [−1, 1] for accuracy: φ = (1 − s²)^p, dφ/dt = −2 p s (1 − s²)^(p−1) / half.
            var s = (times[i] - a - half) / half;
            var u = Math.Max(0, 1 - s * s);
            var w = Weight(times, i);
            phi[i] = w * Math.Pow(u, power);
            dphi[i] = w * (-2 * power * s * Math.Pow(u, power - 1) / half);
            integral += phi[i];
        }
        for (var i = 0; i < n; i++)
        {
            phi[i] /= integral;
            dphi[i] /= integral;
        }
        return (phi, dphi);
    }

    /// <summary>
    /// A test-function width (in samples) from the data's spectrum, after WSINDy: for each column (the line through its
    /// end points removed), the corner mode k_c is the highest mode whose smoothed power stays above ten times the noise
    /// floor (the median power of the upper half of the spectrum); the width is three periods N/k_c of the fastest
    /// column, at least 41 samples (or 2·power + 1 for short data) and at most a quarter of the samples. Wider windows
    /// average more noise away; the corner keeps them short enough to follow the dynamics.
    /// </summary>
    public static int AutomaticWidth(IReadOnlyList<double[]> columns, int power)
    {
        var samples = columns[0].Length;
        var lower = Math.Max(2 * power + 1, Math.Min(41, samples / 4));
        var upper = Math.Max(lower, samples / 4);
        if (samples < 16) return Math.Min(samples, lower);
        // The first power-of-two samples are enough to locate the corner, and their FFT is fast.
        var n = 1 << (int)Math.Floor(Math.Log2(samples));
        var fastest = double.PositiveInfinity;
        foreach (var column in columns)
        {
            var buffer = new System.Numerics.Complex[n];
            for (var k = 0; k < n; k++)
                buffer[k] = column[k] - column[0] - (column[n - 1] - column[0]) * k / (n - 1);
            MathNet.Numerics.IntegralTransforms.Fourier.Forward(buffer, MathNet.Numerics.IntegralTransforms.FourierOptions.NoScaling);
            var half = n / 2;
            var power2 = new double[half + 1];
            for (var k = 0; k <= half; k++) power2[k] = buffer[k].Magnitude * buffer[k].Magnitude;
            var upperHalf = power2[(half / 2)..];
            Array.Sort(upperHalf);
            var floor = upperHalf[upperHalf.Length / 2];
            var corner = 1;
            for (var k = 1; k <= half; k++)
            {
                var from = Math.Max(1, k - 4);
                var to = Math.Min(half, k + 4);
                var mean = 0.0;
                for (var j = from; j <= to; j++) mean += power2[j];
                mean /= to - from + 1;
                if (mean > 10 * floor) corner = k;
            }
            fastest = Math.Min(fastest, (double)n / corner);
        }
        var width = (int)Math.Round(3 * fastest);
        width = Math.Clamp(width, lower, upper);
        return width % 2 == 0 ? width + 1 : width;
    }

    private static double Weight(ReadOnlySpan<double> times, int i)
    {
        var left = i > 0 ? times[i] - times[i - 1] : 0;
        var right = i < times.Length - 1 ? times[i + 1] - times[i] : 0;
        return (left + right) / 2;
    }
}
