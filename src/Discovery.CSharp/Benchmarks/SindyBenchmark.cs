using System.Diagnostics;
using System.Globalization;
using System.Text;
using Discovery.Data;
using Discovery.Differentiation;
using Discovery.SparseRegression;
using Discovery.Systems;

namespace Discovery.Benchmarks;

/// <summary>Settings of the SINDy fit benchmark.</summary>
/// <param name="DataPath">CSV trajectory file; null simulates PySINDy's Lorenz example (dt 0.002, t in [0, 10),
/// x0 (-8, 8, 27), tolerances 1e-12).</param>
/// <param name="Noise">Gaussian noise level (std = level × RMS per state) added to the simulated data (ignored with a file).</param>
/// <param name="Seed">Seed of that noise.</param>
/// <param name="Threshold">STLSQ threshold.</param>
/// <param name="Degree">Polynomial library degree.</param>
/// <param name="Differentiation">Differentiation method by name (see <see cref="Differentiators.ByName"/>); ignored in the weak form.</param>
/// <param name="Weak">Fit in the weak form.</param>
/// <param name="Repeat">Timed fits; the median counts.</param>
public sealed record SindyBenchmarkOptions(
    string? DataPath = null,
    double Noise = 0,
    int Seed = 1,
    double Threshold = 0.5,
    int Degree = 2,
    string Differentiation = "fd4",
    bool Weak = false,
    int Repeat = 30);

/// <summary>What the benchmark measured: the model and fit times in milliseconds (median and fastest).</summary>
public sealed record SindyBenchmarkReport(FittedSindy Model, double MedianMilliseconds, double FastestMilliseconds, int Rows, string Description);

/// <summary>
/// Times <c>Sindy.Fit</c> in-process (differentiation, library evaluation, optimisation and the fitted model's
/// equations: everything PySINDy's <c>model.fit</c> does) after warm-up, as the side-by-side comparison with PySINDy
/// needs. Not a unit test: timings depend on the machine.
/// </summary>
public static class SindyBenchmark
{
    /// <summary>Runs the benchmark; ArgumentException for bad options, DataFormatException for a bad file.</summary>
    public static SindyBenchmarkReport Run(SindyBenchmarkOptions options)
    {
        if (options.Repeat < 1) throw new ArgumentException("repeat must be at least 1");
        var data = options.DataPath is { } path
            ? TrajectoryCsv.Read(path)
            : Noise.AddGaussian(SystemZoo.Get("lorenz").Simulate(new SimulationOptions(TimeEnd: 10, TimeStep: 0.002,
                InitialState: [-8, 8, 27], RelativeTolerance: 1e-12, AbsoluteTolerance: 1e-12)), options.Noise, options.Seed);
        var differentiator = Differentiators.ByName(options.Differentiation)
                             ?? throw new ArgumentException($"unknown differentiation method '{options.Differentiation}' ({string.Join(", ", Differentiators.Names)})");
        var sindy = new Sindy(new Stlsq(options.Threshold), new PolynomialLibrary(options.Degree), differentiator,
            new SindyOptions(options.Weak ? new WeakFormOptions() : null));
        FittedSindy model = sindy.Fit(data);
        // Warm-up in rounds with pauses, so that tiered compilation has replaced every hot method by its optimised form
        // before the first timed fit (about a second of fitting in all).
        var warmUp = Stopwatch.StartNew();
        for (var round = 0; round < 4; round++)
        {
            var start = warmUp.Elapsed;
            do model = sindy.Fit(data);
            while ((warmUp.Elapsed - start).TotalMilliseconds < 250);
            Thread.Sleep(150);
        }
        var times = new double[options.Repeat];
        for (var r = 0; r < times.Length; r++)
        {
            var watch = Stopwatch.StartNew();
            model = sindy.Fit(data);
            times[r] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return new SindyBenchmarkReport(model, times[times.Length / 2], times[0], data.TotalSamples, sindy.ToString());
    }

    /// <summary>The report as text: the learner, the fit times and the coefficient table (features × states).</summary>
    public static void Write(SindyBenchmarkReport report, TextWriter output)
    {
        var model = report.Model;
        output.WriteLine(report.Description);
        var header = new StringBuilder($"{"feature",-10}");
        foreach (var state in model.StateNames) header.Append($" {state + "'",18}");
        output.WriteLine(header.ToString());
        var coefficients = model.Coefficients;
        for (var j = 0; j < model.FeatureNames.Count; j++)
        {
            var line = new StringBuilder($"{model.FeatureNames[j],-10}");
            for (var i = 0; i < model.StateNames.Count; i++)
                line.Append(' ').Append(coefficients[i, j].ToString("R", CultureInfo.InvariantCulture).PadLeft(18));
            output.WriteLine(line.ToString());
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fit-ms: median {report.MedianMilliseconds:F3} fastest {report.FastestMilliseconds:F3} rows {report.Rows}"));
    }
}

