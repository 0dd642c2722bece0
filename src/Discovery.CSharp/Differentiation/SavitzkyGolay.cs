namespace Discovery.Differentiation;

/// <summary>
/// Savitzky-Golay smoothing and differentiation: at every sample, a least-squares polynomial of degree
/// <see cref="Degree"/> is fitted to the <see cref="Window"/> nearest samples (the window slides inward at the ends) and
/// its value and slope at the sample are returned. Works on uneven time grids (each window is fitted in its own scaled
/// local time). Larger windows suppress more noise and add more bias.
/// </summary>
public sealed class SavitzkyGolay : ISmoothingDifferentiator
{
    /// <summary>A filter with an odd <paramref name="window"/> (samples per fit) and polynomial <paramref name="degree"/>.</summary>
    public SavitzkyGolay(int window = 11, int degree = 3)
    {
        if (window < 3 || window % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(window), window, "the window must be an odd number of samples, at least 3");
        if (degree < 1 || degree >= window)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"the degree must be between 1 and {window - 1}");
        Window = window;
        Degree = degree;
    }

    /// <summary>Samples in each local fit (odd).</summary>
    public int Window { get; }

    /// <summary>Degree of each local polynomial.</summary>
    public int Degree { get; }

    /// <inheritdoc />
    public string Name => $"Savitzky-Golay (window {Window}, degree {Degree})";

    /// <inheritdoc />
    public double[] Differentiate(ReadOnlySpan<double> times, ReadOnlySpan<double> values) => Fit(times, values, derivative: true);

    /// <summary>The smoothed signal (value of each local fit at its sample).</summary>
    public double[] Smooth(ReadOnlySpan<double> times, ReadOnlySpan<double> values) => Fit(times, values, derivative: false);

    private double[] Fit(ReadOnlySpan<double> times, ReadOnlySpan<double> values, bool derivative)
    {
        Differentiators.Check(times, values, Window, Name);
        var n = times.Length;
        var p = Degree + 1;
        var result = new double[n];
        Span<double> normal = stackalloc double[p * p];
        Span<double> rhs = stackalloc double[p];
        Span<double> powers = stackalloc double[p];
        var half = Window / 2;
        var interior = n >= Window && IsEvenlySpaced(times) ? InteriorWeights(derivative, times[1] - times[0]) : null;
        for (var i = 0; i < n; i++)
        {
            if (interior is not null && i >= half && i < n - half)
            {
                // Evenly spaced: every centred window has the same fit, so its weights are computed once.
                var sum = 0.0;
                for (var k = 0; k < Window; k++) sum += interior[k] * values[i - half + k];
                result[i] = sum;
                continue;
            }
            var start = Math.Clamp(i - half, 0, n - Window);
            var scale = 0.5 * (times[start + Window - 1] - times[start]);
            normal.Clear();
            rhs.Clear();
            for (var k = start; k < start + Window; k++)
            {
                var s = (times[k] - times[i]) / scale;
                powers[0] = 1;
                for (var d = 1; d < p; d++) powers[d] = powers[d - 1] * s;
                for (var a = 0; a < p; a++)
                {
                    rhs[a] += powers[a] * values[k];
                    for (var b = 0; b <= a; b++) normal[a * p + b] += powers[a] * powers[b];
                }
            }
            CholeskySolve(normal, rhs, p);
            result[i] = derivative ? rhs[1] / scale : rhs[0];
        }
        return result;
    }

    /// <summary>
    /// Weights w with Σ w_k f(t_{i−half+k}) = the centred local fit's value (or slope) at t_i on an evenly spaced grid of
    /// step <paramref name="spacing"/>: the same least-squares fit as the general path, solved once per basis sample.
    /// </summary>
    private double[] InteriorWeights(bool derivative, double spacing)
    {
        var p = Degree + 1;
        var half = Window / 2;
        var scale = half * spacing;
        var weights = new double[Window];
        Span<double> normal = stackalloc double[p * p];
        Span<double> rhs = stackalloc double[p];
        Span<double> powers = stackalloc double[p];
        for (var unit = 0; unit < Window; unit++)
        {
            normal.Clear();
            rhs.Clear();
            for (var k = 0; k < Window; k++)
            {
                var s = (double)(k - half) / half;
                powers[0] = 1;
                for (var d = 1; d < p; d++) powers[d] = powers[d - 1] * s;
                for (var a = 0; a < p; a++)
                {
                    if (k == unit) rhs[a] += powers[a];
                    for (var b = 0; b <= a; b++) normal[a * p + b] += powers[a] * powers[b];
                }
            }
            CholeskySolve(normal, rhs, p);
            weights[unit] = derivative ? rhs[1] / scale : rhs[0];
        }
        return weights;
    }

    /// <summary>True when every step equals the mean step to a relative 1e-9 (rounding of t0 + k·dt passes).</summary>
    private static bool IsEvenlySpaced(ReadOnlySpan<double> times)
    {
        var spacing = (times[^1] - times[0]) / (times.Length - 1);
        for (var k = 1; k < times.Length; k++)
            if (Math.Abs(times[k] - times[k - 1] - spacing) > 1e-9 * spacing) return false;
        return true;
    }

    /// <summary>Solves the symmetric positive-definite system (lower triangle given) in place.</summary>
    private static void CholeskySolve(Span<double> a, Span<double> b, int p)
    {
        for (var j = 0; j < p; j++)
        {
            var sum = a[j * p + j];
            for (var k = 0; k < j; k++) sum -= a[j * p + k] * a[j * p + k];
            var diagonal = Math.Sqrt(sum);
            a[j * p + j] = diagonal;
            for (var i = j + 1; i < p; i++)
            {
                var s = a[i * p + j];
                for (var k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k];
                a[i * p + j] = s / diagonal;
            }
        }
        for (var i = 0; i < p; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++) s -= a[i * p + k] * b[k];
            b[i] = s / a[i * p + i];
        }
        for (var i = p - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var k = i + 1; k < p; k++) s -= a[k * p + i] * b[k];
            b[i] = s / a[i * p + i];
        }
    }
}
