using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Discovery.Differentiation;

/// <summary>
/// Spectral differentiation on an evenly spaced grid: FFT, multiply each mode by i·ω, optionally drop modes above
/// <see cref="CutoffFraction"/> of the Nyquist frequency (a low-pass filter against noise), inverse FFT. Exact to rounding
/// for band-limited periodic signals sampled over whole periods. A non-periodic signal (the usual trajectory) first has
/// the straight line through its end points removed (its slope is added back) and is extended oddly about both ends, so
/// the periodic continuation has no jump in value or slope and does not ring.
/// </summary>
public sealed class SpectralDerivative : IDifferentiator
{
    /// <summary>
    /// A spectral differentiator keeping modes up to <paramref name="cutoffFraction"/> of Nyquist (1 keeps all);
    /// <paramref name="periodic"/> declares that the samples cover whole periods (no end-point line removed).
    /// </summary>
    public SpectralDerivative(double cutoffFraction = 1.0, bool periodic = false)
    {
        if (!(cutoffFraction > 0 && cutoffFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(cutoffFraction), cutoffFraction, "the cutoff is a fraction of Nyquist in (0, 1]");
        CutoffFraction = cutoffFraction;
        Periodic = periodic;
    }

    /// <summary>Fraction of the Nyquist frequency kept (1 = no filtering).</summary>
    public double CutoffFraction { get; }

    /// <summary>True when the samples are one or more whole periods of a periodic signal.</summary>
    public bool Periodic { get; }

    /// <inheritdoc />
    public string Name => $"spectral (cutoff {CutoffFraction:G3} of Nyquist{(Periodic ? ", periodic" : "")})";

    /// <inheritdoc />
    public double[] Differentiate(ReadOnlySpan<double> times, ReadOnlySpan<double> values)
    {
        Differentiators.Check(times, values, 4, Name);
        if (!Differentiators.IsUniform(times, out var dt))
            throw new ArgumentException($"{Name}: needs evenly spaced samples; resample first or use another method");
        var n = times.Length;
        if (Periodic) return Differentiate(values.ToArray(), n, dt, 0.0, n);

        // Remove the line through the end points (the residual vanishes at both ends), then extend the residual oddly
        // about each end: the extension is continuous with a continuous slope, so its spectrum decays fast.
        var slope = (values[^1] - values[0]) / (times[^1] - times[0]);
        var length = 2 * (n - 1);
        var extended = new double[length];
        for (var k = 0; k < n; k++) extended[k] = values[k] - values[0] - slope * (times[k] - times[0]);
        extended[n - 1] = 0;
        for (var k = 1; k < n - 1; k++) extended[length - k] = -extended[k];
        return Differentiate(extended, length, dt, slope, n);
    }

    /// <summary>Derivative of the periodic sequence <paramref name="signal"/>, first <paramref name="count"/> entries, plus <paramref name="offset"/>.</summary>
    private double[] Differentiate(double[] signal, int length, double dt, double offset, int count)
    {
        var buffer = new Complex[length];
        for (var k = 0; k < length; k++) buffer[k] = new Complex(signal[k], 0);
        Fourier.Forward(buffer, FourierOptions.NoScaling);
        var keep = CutoffFraction * (length / 2.0);
        var fundamental = 2 * Math.PI / (length * dt);
        for (var k = 0; k < length; k++)
        {
            var mode = k <= length / 2 ? k : k - length;
            // The Nyquist mode of an even-length signal has no well-defined derivative (its sine part is invisible).
            if ((length % 2 == 0 && k == length / 2) || Math.Abs(mode) > keep)
                buffer[k] = Complex.Zero;
            else
                buffer[k] *= new Complex(0, fundamental * mode);
        }
        Fourier.Inverse(buffer, FourierOptions.NoScaling);
        var result = new double[count];
        for (var k = 0; k < count; k++) result[k] = buffer[k].Real / length + offset;
        return result;
    }
}
