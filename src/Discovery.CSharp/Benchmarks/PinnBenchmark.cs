using System.Globalization;
using Discovery.Neural.Pinn;

namespace Discovery.Benchmarks;

/// <summary>Settings of the hidden-term PINN sweep.</summary>
/// <param name="Example">"lotka-volterra", "budworm" or "burgers".</param>
/// <param name="Points">Numbers of data points (ODE examples: samples in time; Burgers: time slices of the 64-point grid).</param>
/// <param name="Noise">Noise levels (std = level x RMS).</param>
/// <param name="Options">Training and distillation settings (null: the defaults).</param>
/// <param name="Seed">Seed of the data noise and of training.</param>
/// <param name="TimeEnd">End of the sampled time span (null: the example's own, e.g. 5 for Lotka-Volterra, 0.25 for Burgers).</param>
/// <param name="Viscosity">Burgers' ν (null: 0.01/π, Raissi et al.'s).</param>
public sealed record PinnBenchmarkOptions(string Example, IReadOnlyList<int> Points, IReadOnlyList<double> Noise, PinnOptions? Options = null, int Seed = 1,
    double? TimeEnd = null, double? Viscosity = null);

/// <summary>One run of the sweep: recovery per hidden term and the time taken.</summary>
public sealed record PinnBenchmarkRow(int Points, double Noise, IReadOnlyList<RecoveryCheck> Checks, IReadOnlyList<string> Distilled,
    double TrainingSeconds, double DistillationSeconds, string? Error);

/// <summary>
/// The sweep of the universal-PINN follow-ups: data points (5, 10, 20, 40) against noise (0, 0.001, 0.01, 0.1), each run
/// trained from scratch, its hidden terms checked against the truth (exact form, coefficient error) and timed.
/// </summary>
public static class PinnBenchmark
{
    /// <summary>Runs the sweep; <paramref name="onRow"/> sees each row as it is done.</summary>
    public static IReadOnlyList<PinnBenchmarkRow> Run(PinnBenchmarkOptions options, Action<PinnBenchmarkRow>? onRow = null,
        CancellationToken cancellationToken = default)
    {
        var rows = new List<PinnBenchmarkRow>();
        foreach (var points in options.Points)
            foreach (var noise in options.Noise)
            {
                if (cancellationToken.IsCancellationRequested) return rows;
                var example = Example(options.Example, points, noise, options.Seed, options.TimeEnd, options.Viscosity);
                var pinnOptions = (options.Options ?? new PinnOptions()) with { Seed = options.Seed };
                if (example.Data.Space is not null && options.Options is null) pinnOptions = pinnOptions with { CollocationPoints = 2000 };
                PinnBenchmarkRow row;
                try
                {
                    var result = HiddenTermPinn.Fit(example.Problem(), example.Data, pinnOptions, null, cancellationToken);
                    row = new PinnBenchmarkRow(points, noise,
                        result.Hidden.Select(h => PinnRecovery.Check(h, example.Truth[h.Term.Name])).ToArray(),
                        result.Hidden.Select(h => $"{h.Term.Name} = {Symbolic.Print.infixWith(Symbolic.Print.withDigits(4), h.Expression)}").ToArray(),
                        result.TrainingSeconds, result.DistillationSeconds, null);
                }
                catch (ArgumentException e)
                {
                    row = new PinnBenchmarkRow(points, noise, [], [], 0, 0, e.Message);
                }
                rows.Add(row);
                onRow?.Invoke(row);
            }
        return rows;
    }

    /// <summary>The example problem by name; null time span and viscosity keep the example's own.</summary>
    public static PinnExample Example(string name, int points, double noise, int seed, double? timeEnd = null, double? viscosity = null) => name switch
    {
        "lotka-volterra" => PinnExamples.LotkaVolterra(points, noise, seed, timeEnd ?? 5.0),
        "budworm" => PinnExamples.Budworm(points, noise, seed, timeEnd ?? 45.0),
        "burgers" => PinnExamples.Burgers(nx: 64, nt: points, timeEnd: timeEnd ?? 0.25, viscosity: viscosity ?? 0.01 / Math.PI, noise: noise, seed: seed),
        _ => throw new ArgumentException($"unknown example '{name}' (lotka-volterra, budworm, burgers)"),
    };

    /// <summary>The header of the Markdown table.</summary>
    public static string Header(IReadOnlyList<string> hidden) =>
        "| points | noise | " + string.Join(" | ", hidden.Select(h => $"{h} exact form | {h} coefficient error")) + " | training s | distilled |\n" +
        "| ---: | ---: | " + string.Join(" | ", hidden.Select(_ => "--- | ---:")) + " | ---: | --- |";

    /// <summary>One row of the Markdown table.</summary>
    public static string Format(PinnBenchmarkRow row)
    {
        var g = CultureInfo.InvariantCulture;
        if (row.Error is not null) return string.Create(g, $"| {row.Points} | {row.Noise} | failed: {row.Error} |");
        var checks = string.Join(" | ", row.Checks.Select(c => string.Create(g, $"{(c.ExactForm ? "yes" : "no")} | {c.CoefficientError:P1}")));
        return string.Create(g, $"| {row.Points} | {row.Noise} | {checks} | {row.TrainingSeconds:F1} | {string.Join("; ", row.Distilled).Replace("|", "\\|")} |");
    }
}
