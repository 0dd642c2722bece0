using Discovery.Differentiation;

namespace Discovery.Tests.Differentiation;

public class DifferentiatorTests
{
    // Test signal: x(t) = sin t + 0.5 cos 2.3t on [0, 8], derivative cos t - 1.15 sin 2.3t.
    private static double Signal(double t) => Math.Sin(t) + 0.5 * Math.Cos(2.3 * t);
    private static double SignalDerivative(double t) => Math.Cos(t) - 1.15 * Math.Sin(2.3 * t);

    private static double[] UniformTimes(int n = 400, double end = 8) => Enumerable.Range(0, n).Select(k => end * k / (n - 1)).ToArray();

    /// <summary>Strictly increasing but uneven: spacing varies by ±30%.</summary>
    private static double[] UnevenTimes(int n = 400, double end = 8) =>
        Enumerable.Range(0, n).Select(k => end * (k + 0.3 * Math.Sin(1.7 * k)) / (n - 1)).ToArray();

    private static double[] Noisy(double[] times, double level, int seed)
    {
        var random = new Random(seed);
        return times.Select(t =>
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            return Signal(t) + level * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }).ToArray();
    }

    /// <summary>RMS error against the analytic derivative, optionally skipping a fraction of samples at each end.</summary>
    private static double RmsError(double[] times, double[] estimate, double trim = 0)
    {
        var skip = (int)(trim * times.Length);
        var sum = 0.0;
        var count = 0;
        for (var k = skip; k < times.Length - skip; k++)
        {
            var e = estimate[k] - SignalDerivative(times[k]);
            sum += e * e;
            count++;
        }
        return Math.Sqrt(sum / count);
    }

    private static double Rms(IDifferentiator d, double[] times, double[] values, double trim = 0) =>
        RmsError(times, d.Differentiate(times, values), trim);

    [Fact]
    public void Second_order_differences_are_exact_for_quadratics_on_an_uneven_grid()
    {
        var t = UnevenTimes(50, 3);
        var x = t.Select(v => 3 * v * v - v + 1).ToArray();
        var d = new FiniteDifference(2).Differentiate(t, x);
        for (var k = 0; k < t.Length; k++) Assert.Equal(6 * t[k] - 1, d[k], 1e-9);
    }

    [Fact]
    public void Fourth_order_differences_are_exact_for_quartics_on_an_uneven_grid()
    {
        var t = UnevenTimes(50, 3);
        var x = t.Select(v => v * v * v * v - 2 * v * v * v + v).ToArray();
        var d = new FiniteDifference(4).Differentiate(t, x);
        for (var k = 0; k < t.Length; k++) Assert.Equal(4 * Math.Pow(t[k], 3) - 6 * t[k] * t[k] + 1, d[k], 1e-8);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Finite_differences_converge_with_their_order(int order)
    {
        double ErrorWith(int n)
        {
            var t = UniformTimes(n);
            return Rms(new FiniteDifference(order), t, t.Select(Signal).ToArray());
        }
        var measured = Math.Log2(ErrorWith(201) / ErrorWith(401));
        Assert.InRange(measured, order - 0.3, order + 0.5);
    }

    [Fact]
    public void Finite_differences_amplify_noise_by_about_one_over_the_step()
    {
        var t = UniformTimes();
        const double level = 1e-3;
        var error = Rms(new FiniteDifference(2), t, Noisy(t, level, 1));
        var dt = t[1] - t[0];
        // Central differences: noise std level / (√2 dt) ≈ 0.035 here; the truncation error is far smaller.
        Assert.InRange(error, 0.5 * level / (Math.Sqrt(2) * dt), 1.5 * level / (Math.Sqrt(2) * dt));
    }

    [Fact]
    public void Savitzky_golay_is_exact_for_cubics_and_beats_finite_differences_on_noisy_data()
    {
        var t = UnevenTimes(60, 2);
        var cubic = t.Select(v => v * v * v - v).ToArray();
        var d = new SavitzkyGolay(7, 3).Differentiate(t, cubic);
        for (var k = 0; k < t.Length; k++) Assert.Equal(3 * t[k] * t[k] - 1, d[k], 1e-8);

        var times = UniformTimes();
        var clean = Rms(new SavitzkyGolay(11, 3), times, times.Select(Signal).ToArray());
        Assert.True(clean < 1e-4, $"clean error {clean}");
        var noisy = Noisy(times, 0.01, 2);
        var smoothed = Rms(new SavitzkyGolay(31, 3), times, noisy);
        var raw = Rms(new FiniteDifference(2), times, noisy);
        Assert.True(smoothed < 0.06, $"noisy error {smoothed}");
        Assert.True(smoothed < raw / 5, $"{smoothed} vs finite differences {raw}");
    }

    [Fact]
    public void Savitzky_golay_smoothing_reduces_noise()
    {
        var t = UniformTimes();
        var noisy = Noisy(t, 0.01, 3);
        var smooth = new SavitzkyGolay(21, 3).Smooth(t, noisy);
        var before = Math.Sqrt(t.Select((v, k) => Math.Pow(noisy[k] - Signal(v), 2)).Average());
        var after = Math.Sqrt(t.Select((v, k) => Math.Pow(smooth[k] - Signal(v), 2)).Average());
        Assert.True(after < before / 2, $"{after} vs {before}");
    }

    [Fact]
    public void Spectral_derivative_is_exact_for_periodic_band_limited_signals()
    {
        const int n = 64;
        var t = Enumerable.Range(0, n).Select(k => 2 * Math.PI * k / n).ToArray();
        var x = t.Select(v => Math.Sin(3 * v) + 0.2 * Math.Cos(7 * v)).ToArray();
        var d = new SpectralDerivative(periodic: true).Differentiate(t, x);
        for (var k = 0; k < n; k++) Assert.Equal(3 * Math.Cos(3 * t[k]) - 1.4 * Math.Sin(7 * t[k]), d[k], 1e-10);
    }

    [Fact]
    public void Spectral_derivative_handles_non_periodic_signals_and_filters_noise()
    {
        var t = UniformTimes();
        var clean = Rms(new SpectralDerivative(), t, t.Select(Signal).ToArray(), trim: 0.05);
        Assert.True(clean < 1e-5, $"clean interior error {clean}");
        var noisy = Noisy(t, 0.01, 4);
        var filtered = Rms(new SpectralDerivative(cutoffFraction: 0.05), t, noisy, trim: 0.05);
        var unfiltered = Rms(new SpectralDerivative(), t, noisy, trim: 0.05);
        Assert.True(filtered < 0.05, $"filtered error {filtered}");
        Assert.True(filtered < unfiltered / 5, $"{filtered} vs unfiltered {unfiltered}");
    }

    [Fact]
    public void Spectral_derivative_refuses_uneven_grids()
    {
        var t = UnevenTimes(50);
        Assert.Throws<ArgumentException>(() => new SpectralDerivative().Differentiate(t, t.Select(Signal).ToArray()));
    }

    [Fact]
    public void Total_variation_derivative_is_accurate_on_clean_data_and_robust_to_noise()
    {
        var t = UniformTimes();
        var clean = Rms(new TotalVariationDerivative(alpha: 0.01), t, t.Select(Signal).ToArray(), trim: 0.05);
        Assert.True(clean < 5e-3, $"clean error {clean}");
        var noisy = Noisy(t, 0.01, 5);
        var regularised = Rms(new TotalVariationDerivative(), t, noisy);
        var raw = Rms(new FiniteDifference(2), t, noisy);
        Assert.True(regularised < 0.1, $"noisy error {regularised}");
        Assert.True(regularised < raw / 3, $"{regularised} vs finite differences {raw}");
    }

    [Fact]
    public void Total_variation_derivative_recovers_a_jump_in_slope()
    {
        // x = |t - 1| has derivative -1 then +1: TV keeps the jump sharp.
        var t = UniformTimes(201, 2);
        var random = new Random(6);
        var x = t.Select(v => Math.Abs(v - 1) + 0.005 * (random.NextDouble() - 0.5)).ToArray();
        var d = new TotalVariationDerivative(alpha: 0.5).Differentiate(t, x);
        var misses = t.Select((v, k) => Math.Abs(v - 1) > 0.1 && Math.Abs(d[k] - Math.Sign(v - 1)) > 0.1).Count(miss => miss);
        Assert.True(misses <= 4, $"{misses} samples away from the jump are off by more than 0.1");
    }

    [Fact]
    public void Smoothing_spline_interpolates_clean_data_and_smooths_noisy_data_on_uneven_grids()
    {
        var t = UnevenTimes();
        var clean = Rms(new SmoothingSplineDerivative(), t, t.Select(Signal).ToArray(), trim: 0.05);
        Assert.True(clean < 1e-5, $"clean interior error {clean}");
        var noisy = Noisy(t, 0.01, 7);
        var smoothed = Rms(new SmoothingSplineDerivative(), t, noisy);
        var raw = Rms(new FiniteDifference(2), t, noisy);
        Assert.True(smoothed < 0.06, $"noisy error {smoothed}");
        Assert.True(smoothed < raw / 10, $"{smoothed} vs finite differences {raw}");
    }

    [Fact]
    public void Smoothing_spline_with_huge_lambda_is_the_least_squares_line()
    {
        var t = UnevenTimes(40, 4);
        var x = Noisy(t, 0.3, 8);
        var d = new SmoothingSplineDerivative(lambda: 1e12).Differentiate(t, x);
        var mt = t.Average();
        var mx = x.Average();
        var slope = t.Select((v, k) => (v - mt) * (x[k] - mx)).Sum() / t.Select(v => (v - mt) * (v - mt)).Sum();
        foreach (var value in d) Assert.Equal(slope, value, 1e-6);
    }

    [Fact]
    public void Columns_of_a_state_matrix_are_differentiated_independently()
    {
        var t = UniformTimes(100, 1);
        var states = new double[t.Length, 2];
        for (var k = 0; k < t.Length; k++)
        {
            states[k, 0] = 2 * t[k];
            states[k, 1] = t[k] * t[k];
        }
        var d = new FiniteDifference(2).DifferentiateColumns(t, states);
        for (var k = 0; k < t.Length; k++)
        {
            Assert.Equal(2, d[k, 0], 1e-10);
            Assert.Equal(2 * t[k], d[k, 1], 1e-10);
        }
    }

    [Fact]
    public void Every_method_has_a_name_the_factory_understands_and_bad_input_is_refused()
    {
        foreach (var name in Differentiators.Names) Assert.NotNull(Differentiators.ByName(name));
        Assert.Null(Differentiators.ByName("magic"));
        double[] t = [0, 1, 1, 2, 3, 4, 5];
        double[] x = [0, 1, 2, 3, 4, 5, 6];
        foreach (var name in Differentiators.Names)
            Assert.Throws<ArgumentException>(() => Differentiators.ByName(name)!.Differentiate(t, x));
    }
}
