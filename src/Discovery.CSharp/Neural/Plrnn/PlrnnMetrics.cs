using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Discovery.Neural.Plrnn;

/// <summary>
/// The measures of dynamical-systems reconstruction, computed on freely generated trajectories as in the authors' public
/// code (AL-RNN tutorial, GTF-shPLRNN): D_stsp, the KL divergence of state-space occupation (binned, or a Gaussian
/// mixture for many dimensions), D_H, the Hellinger distance of smoothed power spectra, and the n-step prediction error.
/// Arrays are T x N (rows are time steps).
/// </summary>
public static class PlrnnMetrics
{
    /// <summary>Laplace smoothing added to every histogram cell (the authors' 1e-5).</summary>
    public const double LaplaceAlpha = 1e-5;

    /// <summary>
    /// D_stsp in the form the authors use for this dimension: binned (<paramref name="bins"/> per dimension) up to
    /// <paramref name="gmmAboveDimension"/> dimensions, the Gaussian mixture above. NaN when the generated trajectory
    /// holds a value that is not finite (the model diverged).
    /// </summary>
    public static double StateSpaceDivergenceFor(double[,] truth, double[,] generated, int bins = 30, int gmmAboveDimension = 5,
        double gmmVariance = 1.0, int seed = 0)
    {
        if (!AllFinite(generated)) return double.NaN;
        return truth.GetLength(1) > gmmAboveDimension
            ? StateSpaceDivergenceGmm(truth, generated, gmmVariance, seed: seed)
            : StateSpaceDivergence(truth, generated, bins);
    }

    /// <summary>Whether every value of <paramref name="x"/> is finite.</summary>
    public static bool AllFinite(double[,] x)
    {
        foreach (var v in x)
            if (!double.IsFinite(v)) return false;
        return true;
    }

    /// <summary>
    /// D_stsp by binning: KL(p_true || p_gen) of Laplace-smoothed histograms with <paramref name="bins"/> bins per dimension
    /// spanning the true data's [min, max] in each dimension. As in the authors' tutorial, a point is binned at
    /// floor(bins (x - min) / (max - min)) (truncated towards zero) and counts only when that index is strictly above 0
    /// and below <paramref name="bins"/>; points outside are dropped. Empty cells are handled in closed form, so any
    /// dimension works (the histogram is never built densely). NaN when no generated point falls inside.
    /// </summary>
    public static double StateSpaceDivergence(double[,] truth, double[,] generated, int bins = 30)
    {
        var n = truth.GetLength(1);
        if (generated.GetLength(1) != n) throw new ArgumentException($"both trajectories need {n} columns");
        if (bins < 2) throw new ArgumentException($"bins must be at least 2 (got {bins})");
        var min = new double[n];
        var max = new double[n];
        for (var i = 0; i < n; i++)
        {
            min[i] = double.PositiveInfinity;
            max[i] = double.NegativeInfinity;
            for (var t = 0; t < truth.GetLength(0); t++)
            {
                min[i] = Math.Min(min[i], truth[t, i]);
                max[i] = Math.Max(max[i], truth[t, i]);
            }
        }
        var p = Histogram(truth, min, max, bins, out var totalTrue);
        var q = Histogram(generated, min, max, bins, out var totalGen);
        if (totalGen == 0 || totalTrue == 0) return double.NaN;
        var cells = Math.Pow(bins, n);
        var pDen = totalTrue + LaplaceAlpha * cells;
        var qDen = totalGen + LaplaceAlpha * cells;
        var kl = 0.0;
        var seen = 0;
        foreach (var (cell, count) in p)
        {
            var pp = (count + LaplaceAlpha) / pDen;
            var qq = ((q.TryGetValue(cell, out var c) ? c : 0) + LaplaceAlpha) / qDen;
            kl += pp * Math.Log(pp / qq);
            seen++;
        }
        foreach (var (cell, count) in q)
        {
            if (p.ContainsKey(cell)) continue;
            var pp = LaplaceAlpha / pDen;
            var qq = (count + LaplaceAlpha) / qDen;
            kl += pp * Math.Log(pp / qq);
            seen++;
        }
        var empty = cells - seen;
        var pe = LaplaceAlpha / pDen;
        var qe = LaplaceAlpha / qDen;
        kl += empty * pe * Math.Log(pe / qe);
        return kl;
    }

    private static Dictionary<BigInteger, int> Histogram(double[,] x, double[] min, double[] max, int bins, out int total)
    {
        var n = x.GetLength(1);
        var counts = new Dictionary<BigInteger, int>();
        total = 0;
        for (var t = 0; t < x.GetLength(0); t++)
        {
            BigInteger cell = 0;
            var inside = true;
            for (var i = 0; i < n && inside; i++)
            {
                var range = max[i] - min[i];
                var scaled = range > 0 ? bins * (x[t, i] - min[i]) / range : double.NaN;
                var index = double.IsFinite(scaled) ? Math.Truncate(scaled) : -1;
                inside = index > 0 && index < bins;
                cell = cell * bins + (long)Math.Max(0, index);
            }
            if (!inside) continue;
            counts[cell] = counts.TryGetValue(cell, out var c) ? c + 1 : 1;
            total++;
        }
        return counts;
    }

    /// <summary>
    /// D_stsp with Gaussian mixtures (for many dimensions): each trajectory's first <paramref name="maxT"/> points become
    /// a mixture of Gaussians with covariance <paramref name="variance"/> I; KL(p_true || p_gen) is estimated by Monte
    /// Carlo from <paramref name="samples"/> draws of the true mixture (Hershey and Olsen 2007); draws where either
    /// density underflows to 0 are left out, as in the authors' code.
    /// </summary>
    public static double StateSpaceDivergenceGmm(double[,] truth, double[,] generated, double variance = 1.0, int maxT = 10000,
        int samples = 1000, int seed = 0)
    {
        var n = truth.GetLength(1);
        if (generated.GetLength(1) != n) throw new ArgumentException($"both trajectories need {n} columns");
        if (!(variance > 0)) throw new ArgumentException($"variance must be positive (got {variance})");
        var length = Math.Min(Math.Min(truth.GetLength(0), generated.GetLength(0)), maxT);
        var sigma = Math.Sqrt(variance);
        var random = new Random(seed);
        var point = new double[n];
        var sum = 0.0;
        var used = 0;
        for (var k = 0; k < samples; k++)
        {
            var row = random.Next(length);
            for (var i = 0; i < n; i++) point[i] = truth[row, i] + sigma * PlrnnInitialisation.Normal(random);
            var p = MixtureDensity(point, truth, length, variance);
            var q = MixtureDensity(point, generated, length, variance);
            if (p > 0 && q > 0 && double.IsFinite(q))
            {
                sum += Math.Log(p) - Math.Log(q);
                used++;
            }
        }
        return used == 0 ? double.NaN : sum / used;
    }

    private static double MixtureDensity(double[] point, double[,] centres, int length, double variance)
    {
        var n = point.Length;
        var sum = 0.0;
        for (var t = 0; t < length; t++)
        {
            var d2 = 0.0;
            for (var i = 0; i < n; i++)
            {
                var d = point[i] - centres[t, i];
                d2 += d * d;
            }
            sum += Math.Exp(-0.5 * d2 / variance);
        }
        return sum / length / Math.Pow(variance, n / 2.0);
    }

    /// <summary>
    /// D_H: for each dimension, the Hellinger distance sqrt(1 - Σ sqrt(p q)) between the power spectra of the z-scored
    /// series (|rfft|² 2/T), each smoothed by a Gaussian filter of width <paramref name="smoothing"/> frequency bins
    /// (scipy's gaussian_filter1d: reflected edges, kernel radius 4σ) and normalised to sum 1; the mean over dimensions.
    /// Both trajectories must be equally long.
    /// </summary>
    public static double PowerSpectrumError(double[,] truth, double[,] generated, double smoothing = 20)
    {
        var n = truth.GetLength(1);
        if (generated.GetLength(1) != n) throw new ArgumentException($"both trajectories need {n} columns");
        if (generated.GetLength(0) != truth.GetLength(0)) throw new ArgumentException("both trajectories must have the same length");
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var p = SmoothedPowerSpectrum(Column(truth, i), smoothing);
            var q = SmoothedPowerSpectrum(Column(generated, i), smoothing);
            total += HellingerDistance(p, q);
        }
        return total / n;
    }

    /// <summary>sqrt(1 - Σ sqrt(p q)) of two distributions (clamped at 0 against rounding).</summary>
    public static double HellingerDistance(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        var overlap = 0.0;
        for (var k = 0; k < p.Count; k++) overlap += Math.Sqrt(Math.Max(0, p[k] * q[k]));
        return Math.Sqrt(Math.Max(0, 1 - overlap));
    }

    /// <summary>The power spectrum of the z-scored series, Gaussian-smoothed and normalised to sum 1 (length T/2 + 1).</summary>
    public static double[] SmoothedPowerSpectrum(double[] x, double smoothing)
    {
        var length = x.Length;
        var mean = x.Average();
        var std = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / length);
        if (!(std > 0) || !double.IsFinite(std)) std = 1;
        var buffer = x.Select(v => new Complex((v - mean) / std, 0)).ToArray();
        Fourier.Forward(buffer, FourierOptions.NoScaling);
        var spectrum = new double[length / 2 + 1];
        for (var k = 0; k < spectrum.Length; k++) spectrum[k] = buffer[k].Magnitude * buffer[k].Magnitude * 2 / length;
        var smoothed = smoothing > 0 ? GaussianFilter(spectrum, smoothing) : spectrum;
        var sum = smoothed.Sum();
        return sum > 0 ? smoothed.Select(v => v / sum).ToArray() : smoothed;
    }

    /// <summary>scipy.ndimage.gaussian_filter1d with mode "reflect" (d c b a | a b c d | d c b a) and truncate 4.</summary>
    public static double[] GaussianFilter(double[] x, double sigma)
    {
        var radius = (int)(4.0 * sigma + 0.5);
        var weights = new double[2 * radius + 1];
        for (var k = -radius; k <= radius; k++) weights[k + radius] = Math.Exp(-0.5 * k * k / (sigma * sigma));
        var norm = weights.Sum();
        for (var k = 0; k < weights.Length; k++) weights[k] /= norm;
        var n = x.Length;
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = 0.0;
            for (var k = -radius; k <= radius; k++) s += weights[k + radius] * x[Reflect(i + k, n)];
            result[i] = s;
        }
        return result;
    }

    private static int Reflect(int i, int n)
    {
        var period = 2 * n;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - 1 - i;
    }

    /// <summary>
    /// The n-step prediction error: from each of up to <paramref name="maxStarts"/> evenly spaced rows of
    /// <paramref name="data"/>, start the model at that observation (<see cref="PlrnnMap.InitialState"/>), run
    /// <paramref name="steps"/> free steps and take the squared error of the read-out against the data <paramref name="steps"/>
    /// rows later; the mean over starts and dimensions.
    /// </summary>
    public static double PredictionError(PlrnnMap map, double[,] data, int steps = 20, int maxStarts = 1000)
    {
        var rows = data.GetLength(0);
        var n = data.GetLength(1);
        if (n != map.Observed) throw new ArgumentException($"the data need {map.Observed} columns (got {n})");
        var starts = rows - steps;
        if (steps < 1 || starts < 1) return double.NaN;
        var stride = Math.Max(1, starts / maxStarts);
        var sum = 0.0;
        var count = 0;
        var x = new double[n];
        var next = new double[map.Latent];
        for (var t0 = 0; t0 < starts; t0 += stride)
        {
            for (var i = 0; i < n; i++) x[i] = data[t0, i];
            var z = map.InitialState(x);
            for (var k = 0; k < steps; k++)
            {
                map.Step(z, next);
                (z, next) = (next, z);
            }
            for (var i = 0; i < n; i++)
            {
                var e = z[i] - data[t0 + steps, i];
                sum += e * e;
            }
            count++;
        }
        return sum / (count * n);
    }

    private static double[] Column(double[,] x, int j)
    {
        var c = new double[x.GetLength(0)];
        for (var t = 0; t < c.Length; t++) c[t] = x[t, j];
        return c;
    }
}
