namespace Discovery.Differentiation;

/// <summary>
/// Finite differences of order 2 (three-point stencils) or 4 (five-point stencils) on any strictly increasing time grid:
/// centred in the interior, one-sided of the same order at the ends. Weights come from Fornberg's algorithm, so uneven
/// spacing keeps the full order. No smoothing: noise of size σ becomes derivative noise of size about σ / Δt.
/// </summary>
public sealed class FiniteDifference : IDifferentiator
{
    /// <summary>A scheme of accuracy order 2 or 4.</summary>
    public FiniteDifference(int order = 2)
    {
        if (order is not (2 or 4)) throw new ArgumentOutOfRangeException(nameof(order), order, "finite differences of order 2 or 4");
        Order = order;
    }

    /// <summary>Accuracy order (2 or 4).</summary>
    public int Order { get; }

    /// <inheritdoc />
    public string Name => $"finite differences (order {Order})";

    /// <inheritdoc />
    public double[] Differentiate(ReadOnlySpan<double> times, ReadOnlySpan<double> values)
    {
        var width = Order + 1;
        Differentiators.Check(times, values, width, Name);
        var n = times.Length;
        var result = new double[n];
        Span<double> weights = stackalloc double[width];
        var half = width / 2;
        if (n >= 2 * width && IsEvenlySpaced(times, out var spacing))
        {
            // Evenly spaced (to rounding): the interior stencil is the same everywhere, so its weights are computed once.
            Span<double> offsets = stackalloc double[width];
            for (var j = 0; j < width; j++) offsets[j] = (j - half) * spacing;
            FornbergFirstDerivative(offsets, 0, weights);
            for (var i = half; i < n - half; i++)
            {
                var sum = 0.0;
                for (var j = 0; j < width; j++) sum += weights[j] * values[i - half + j];
                result[i] = sum;
            }
            for (var i = 0; i < half; i++)
            {
                FornbergFirstDerivative(times[..width], times[i], weights);
                result[i] = Stencil(weights, values[..width]);
                FornbergFirstDerivative(times[^width..], times[n - 1 - i], weights);
                result[n - 1 - i] = Stencil(weights, values[^width..]);
            }
            return result;
        }
        for (var i = 0; i < n; i++)
        {
            var start = Math.Clamp(i - half, 0, n - width);
            FornbergFirstDerivative(times.Slice(start, width), times[i], weights);
            var sum = 0.0;
            for (var j = 0; j < width; j++) sum += weights[j] * values[start + j];
            result[i] = sum;
        }
        return result;
    }

    /// <summary>True when every step equals the mean step to a relative 1e-9 (rounding of t0 + k·dt passes).</summary>
    private static bool IsEvenlySpaced(ReadOnlySpan<double> times, out double spacing)
    {
        spacing = (times[^1] - times[0]) / (times.Length - 1);
        for (var k = 1; k < times.Length; k++)
            if (Math.Abs(times[k] - times[k - 1] - spacing) > 1e-9 * spacing) return false;
        return true;
    }

    private static double Stencil(ReadOnlySpan<double> weights, ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        for (var j = 0; j < weights.Length; j++) sum += weights[j] * values[j];
        return sum;
    }

    /// <summary>
    /// Weights w such that Σ w_j f(nodes_j) approximates f'(at), exact for polynomials of degree below the node count
    /// (Fornberg 1988, restricted to the first derivative).
    /// </summary>
    internal static void FornbergFirstDerivative(ReadOnlySpan<double> nodes, double at, Span<double> weights)
    {
        var m = nodes.Length;
        Span<double> d0 = stackalloc double[m]; // weights for the value
        Span<double> d1 = stackalloc double[m]; // weights for the first derivative
        d0.Clear();
        d1.Clear();
        d0[0] = 1;
        var c1 = 1.0;
        var c4 = nodes[0] - at;
        for (var i = 1; i < m; i++)
        {
            var c2 = 1.0;
            var c5 = c4;
            c4 = nodes[i] - at;
            for (var j = 0; j < i; j++)
            {
                var c3 = nodes[i] - nodes[j];
                c2 *= c3;
                if (j == i - 1)
                {
                    d1[i] = c1 * (d0[i - 1] - c5 * d1[i - 1]) / c2;
                    d0[i] = -c1 * c5 * d0[i - 1] / c2;
                }
                d1[j] = (c4 * d1[j] - d0[j]) / c3;
                d0[j] = c4 * d0[j] / c3;
            }
            c1 = c2;
        }
        d1.CopyTo(weights);
    }
}
