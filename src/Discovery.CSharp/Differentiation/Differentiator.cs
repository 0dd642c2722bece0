namespace Discovery.Differentiation;

/// <summary>
/// Estimates the time derivative of a sampled signal: the step every derivative-based learner (SINDy, symbolic
/// regression of dx/dt) starts from. Implementations differ in how they trade noise suppression against bias.
/// </summary>
public interface IDifferentiator
{
    /// <summary>Short description with the settings, e.g. "Savitzky-Golay (window 11, degree 3)".</summary>
    string Name { get; }

    /// <summary>
    /// dx/dt at every sample time. <paramref name="times"/> must increase strictly and have as many entries as
    /// <paramref name="values"/>; each method states how many samples it needs at least.
    /// </summary>
    double[] Differentiate(ReadOnlySpan<double> times, ReadOnlySpan<double> values);
}

/// <summary>
/// A differentiator that smooths the signal on the way (a local or global fit): it can also return the smoothed values,
/// which learners use in place of noisy states so that states and derivatives come from the same fit.
/// </summary>
public interface ISmoothingDifferentiator : IDifferentiator
{
    /// <summary>The smoothed signal at every sample time (same requirements as <see cref="IDifferentiator.Differentiate"/>).</summary>
    double[] Smooth(ReadOnlySpan<double> times, ReadOnlySpan<double> values);
}

/// <summary>Helpers shared by the differentiators, and column-wise differentiation of state matrices.</summary>
public static class Differentiators
{
    /// <summary>
    /// Applies <paramref name="differentiator"/> to every column of <paramref name="states"/> (one row per time) and
    /// returns the derivative matrix of the same shape.
    /// </summary>
    public static double[,] DifferentiateColumns(this IDifferentiator differentiator, ReadOnlySpan<double> times, double[,] states)
    {
        var rows = states.GetLength(0);
        var columns = states.GetLength(1);
        if (rows != times.Length)
            throw new ArgumentException($"{times.Length} times but {rows} state rows");
        var result = new double[rows, columns];
        var column = new double[rows];
        for (var j = 0; j < columns; j++)
        {
            for (var k = 0; k < rows; k++) column[k] = states[k, j];
            var derivative = differentiator.Differentiate(times, column);
            for (var k = 0; k < rows; k++) result[k, j] = derivative[k];
        }
        return result;
    }

    /// <summary>
    /// The method named by <paramref name="name"/> with default settings: "fd2", "fd4" (finite differences),
    /// "savgol", "spectral", "tv" (total variation), "spline" (smoothing spline). Null for an unknown name.
    /// </summary>
    public static IDifferentiator? ByName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "fd" or "fd2" or "finite-difference" => new FiniteDifference(2),
        "fd4" => new FiniteDifference(4),
        "savgol" or "savitzky-golay" or "sg" => new SavitzkyGolay(),
        "spectral" or "fft" => new SpectralDerivative(),
        "tv" or "total-variation" or "tvr" => new TotalVariationDerivative(),
        "spline" or "smoothing-spline" => new SmoothingSplineDerivative(),
        _ => null,
    };

    /// <summary>The names <see cref="ByName"/> accepts (canonical spelling).</summary>
    public static IReadOnlyList<string> Names { get; } = ["fd2", "fd4", "savgol", "spectral", "tv", "spline"];

    internal static void Check(ReadOnlySpan<double> times, ReadOnlySpan<double> values, int minimumSamples, string method)
    {
        if (times.Length != values.Length)
            throw new ArgumentException($"{method}: {times.Length} times but {values.Length} values");
        if (times.Length < minimumSamples)
            throw new ArgumentException($"{method}: needs at least {minimumSamples} samples, got {times.Length}");
        for (var k = 0; k < times.Length; k++)
        {
            if (!double.IsFinite(times[k]) || !double.IsFinite(values[k]))
                throw new ArgumentException($"{method}: sample {k} is NaN or Inf");
            if (k > 0 && !(times[k] > times[k - 1]))
                throw new ArgumentException($"{method}: times must increase strictly (sample {k - 1}: {times[k - 1]}, sample {k}: {times[k]})");
        }
    }

    /// <summary>True when the samples are equally spaced to within a relative 1e-6 of the mean spacing.</summary>
    internal static bool IsUniform(ReadOnlySpan<double> times, out double spacing)
    {
        spacing = (times[^1] - times[0]) / (times.Length - 1);
        for (var k = 1; k < times.Length; k++)
            if (Math.Abs(times[k] - times[k - 1] - spacing) > 1e-6 * spacing) return false;
        return true;
    }
}
