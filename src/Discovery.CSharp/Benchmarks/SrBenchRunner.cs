using System.Globalization;
using System.Text.Json;
using Discovery.Regression;
using Discovery.Results;
using Symbolic;
using Symbolic.Search;

namespace Discovery.Benchmarks;

/// <summary>Settings of an SRBench ground-truth run (what <c>discovery bench srbench</c> takes).</summary>
public sealed record SrBenchOptions(
    string Problems,
    double Seconds = 60,
    double Noise = 0,
    int Rows = 2000,
    long Seed = 0,
    string Operators = SrBenchRunner.DefaultOperators,
    IReadOnlyList<string>? Only = null,
    bool SensibleNesting = true);

/// <summary>One problem's outcome, as written to the benchmark's result.json.</summary>
public sealed record SrBenchEntry(string Id, string Truth, string Found, bool SymbolicSolution, double R2Test, double Seconds, int Complexity)
{
    /// <summary>SRBench's accuracy solution: test R^2 above 0.999.</summary>
    public bool AccuracySolution => R2Test > 0.999;
}

/// <summary>The whole run: entries and the two rates.</summary>
public sealed record SrBenchReport(
    string Problems, double Seconds, double Noise, int Rows, long Seed, string Operators, bool SensibleNesting,
    IReadOnlyList<SrBenchEntry> Entries, double SymbolicSolutionRate, double AccuracySolutionRate, string ToolVersion);

/// <summary>
/// The SRBench ground-truth protocol over a problem file in the AI Feynman format: per problem, sample rows uniformly
/// from the ranges, split 75/25, add noise (std = level x RMS) to the training target, search for a fixed time, then
/// judge the chosen model with the core's equivalence (SRBench's symbolic solution: after rounding constants to 3
/// decimals, truth - model or model / truth is a constant) and by test R^2.
/// </summary>
public static class SrBenchRunner
{
    public const string DefaultOperators = "+,-,*,/,square,sqrt,exp,log,sin,cos,asin";

    /// <summary>Runs every problem (or those in <see cref="SrBenchOptions.Only"/>); <paramref name="onEntry"/> hears of each.</summary>
    /// <exception cref="ArgumentException">An unreadable problem file or bad operators.</exception>
    public static SrBenchReport Run(SrBenchOptions options, Action<SrBenchEntry>? onEntry = null, CancellationToken cancellationToken = default)
    {
        var problems = SrBench.readProblems(options.Problems);
        if (problems.IsError) throw new ArgumentException(problems.ErrorValue);
        var selected = problems.ResultValue.Where(p => options.Only is null || options.Only.Contains(p.Id)).ToList();
        if (selected.Count == 0) throw new ArgumentException($"{options.Problems}: no problem selected");
        var (binary, unary) = OperatorNames.Parse(options.Operators);
        var regression = new SymbolicRegression().WithOperators(binary, unary).WithTimeout(TimeSpan.FromSeconds(options.Seconds));
        var search = (options.SensibleNesting ? regression.WithSensibleNesting() : regression).Options;
        var judge = Microsoft.FSharp.Core.FuncConvert.FromFunc<Expr, Expr, bool>(Equivalence.isSymbolicSolution);
        var entries = new List<SrBenchEntry>();
        for (var i = 0; i < selected.Count && !cancellationToken.IsCancellationRequested; i++)
        {
            var problem = selected[i];
            // Each problem gets its own seed derived from the run's seed and its position, so runs are reproducible.
            var outcome = SrBench.runProblem(search, judge, options.Rows, options.Noise, options.Seed * 1000 + i, cancellationToken, problem);
            var entry = new SrBenchEntry(
                problem.Id,
                Print.infix(problem.Truth),
                outcome.Found is { } f ? Print.infix(f.Value) : "",
                outcome.SymbolicSolution,
                outcome.R2Test,
                outcome.Seconds,
                outcome.Complexity);
            entries.Add(entry);
            onEntry?.Invoke(entry);
        }
        return new SrBenchReport(options.Problems, options.Seconds, options.Noise, options.Rows, options.Seed, options.Operators,
            options.SensibleNesting, entries,
            entries.Count(e => e.SymbolicSolution) / (double)entries.Count,
            entries.Count(e => e.AccuracySolution) / (double)entries.Count,
            new DiscoveryResult { Method = "bench" }.ToolVersion);
    }

    /// <summary>Writes <c>DIR/result.json</c>.</summary>
    public static string Write(string directory, SrBenchReport report)
    {
        var path = Path.Combine(directory, "result.json");
        File.WriteAllText(path, JsonSerializer.Serialize(report, ResultJson.Options));
        return path;
    }

    /// <summary>One line per problem.</summary>
    public static string Format(SrBenchEntry e) => string.Create(CultureInfo.InvariantCulture,
        $"{e.Id,-10} {(e.SymbolicSolution ? "symbolic" : e.AccuracySolution ? "accurate" : "-"),-9} R2={e.R2Test,10:F6} {e.Seconds,6:F1}s  {e.Found}");
}
