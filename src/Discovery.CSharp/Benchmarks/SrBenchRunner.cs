using System.Globalization;
using System.Text.Json;
using Discovery.Regression;
using Discovery.Results;
using Symbolic;
using Symbolic.Search;

namespace Discovery.Benchmarks;

/// <summary>Settings of an SRBench ground-truth run (what <c>discovery bench srbench</c> takes).</summary>
/// <param name="Seeds">Run seeds; each problem runs once per seed. Empty or null: <paramref name="Seed"/> alone.</param>
/// <param name="Iterations">Stop each search after this many iterations (as well as after <paramref name="Seconds"/>):
/// an iteration-bound run gives the same equations on any machine and under any load.</param>
/// <param name="Label">What the problem set is to this project, e.g. "used for tuning" or "not used for tuning".</param>
public sealed record SrBenchOptions(
    string Problems,
    double Seconds = 60,
    double Noise = 0,
    int Rows = 2000,
    long Seed = 0,
    string Operators = SrBenchRunner.DefaultOperators,
    IReadOnlyList<string>? Only = null,
    bool SensibleNesting = true,
    IReadOnlyList<long>? Seeds = null,
    int? Iterations = null,
    string Label = "")
{
    /// <summary>The seeds the run uses, in order.</summary>
    public IReadOnlyList<long> RunSeeds => Seeds is { Count: > 0 } seeds ? seeds : [Seed];
}

/// <summary>One problem's outcome under one run seed, as written to the benchmark's result.json.</summary>
public sealed record SrBenchEntry(string Id, string Truth, string Found, bool SymbolicSolution, double R2Test, double Seconds, int Complexity)
{
    /// <summary>SRBench's accuracy solution: test R^2 above 0.999.</summary>
    public bool AccuracySolution => R2Test > 0.999;

    /// <summary>The run seed this entry belongs to.</summary>
    public long RunSeed { get; init; }

    /// <summary>The seed of this problem's sampling, noise and search: <see cref="SrBenchRunner.ProblemSeed"/>.</summary>
    public long ProblemSeed { get; init; }
}

/// <summary>The rates of one run seed.</summary>
public sealed record SrBenchSeedRates(long Seed, double SymbolicSolutionRate, double AccuracySolutionRate);

/// <summary>
/// The whole run: entries of every (problem, seed), and the rates. <see cref="SymbolicSolutionRate"/> and
/// <see cref="AccuracySolutionRate"/> are the medians over the seeds; <see cref="PerSeed"/> holds each seed's rates.
/// </summary>
public sealed record SrBenchReport(
    string Problems, double Seconds, double Noise, int Rows, long Seed, string Operators, bool SensibleNesting,
    IReadOnlyList<SrBenchEntry> Entries, double SymbolicSolutionRate, double AccuracySolutionRate, string ToolVersion)
{
    /// <summary>The run seeds, in order.</summary>
    public IReadOnlyList<long> Seeds { get; init; } = [];

    /// <summary>The iteration limit of each search, if any.</summary>
    public int? Iterations { get; init; }

    /// <summary>What the problem set is to this project ("used for tuning", "not used for tuning").</summary>
    public string Label { get; init; } = "";

    /// <summary>The rates of each seed.</summary>
    public IReadOnlyList<SrBenchSeedRates> PerSeed { get; init; } = [];

    /// <summary>Command, commit, date and machine of the run.</summary>
    public Provenance? Provenance { get; init; }

    /// <summary>True when Ctrl+C or SIGTERM stopped the run: the entries are the problems done by then.</summary>
    public bool Interrupted { get; init; }
}

/// <summary>
/// The SRBench ground-truth protocol over a problem file in the AI Feynman format: per problem, sample rows uniformly
/// from the ranges, split 75/25, add noise (std = level x RMS) to the training target, search for a fixed time or number
/// of iterations, then judge the chosen model with the core's equivalence (SRBench's symbolic solution: after rounding
/// constants to 3 decimals, truth - model or model / truth is a constant) and by test R^2.
/// </summary>
public static class SrBenchRunner
{
    public const string DefaultOperators = "+,-,*,/,square,sqrt,exp,log,sin,cos,asin";

    /// <summary>
    /// The seed of one problem under one run seed. It depends on the run seed and the problem's id only, never on the
    /// problem's position in the file or the selection, so <c>--only</c> reruns one problem exactly as the full run did.
    /// </summary>
    public static long ProblemSeed(long runSeed, string problemId)
    {
        // FNV-1a over the id's UTF-16 code units, then splitmix64 with the run seed: fixed arithmetic, unlike
        // string.GetHashCode, which .NET salts per process.
        var hash = 14695981039346656037UL;
        foreach (var c in problemId)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        var z = hash + (ulong)runSeed * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (long)(z >> 1);
    }

    /// <summary>Runs every problem (or those in <see cref="SrBenchOptions.Only"/>) once per seed; <paramref name="onEntry"/> hears of each.</summary>
    /// <exception cref="ArgumentException">An unreadable problem file or bad operators.</exception>
    public static SrBenchReport Run(SrBenchOptions options, Action<SrBenchEntry>? onEntry = null, CancellationToken cancellationToken = default)
    {
        var problems = SrBench.readProblems(options.Problems);
        if (problems.IsError) throw new ArgumentException(problems.ErrorValue);
        var selected = problems.ResultValue.Where(p => options.Only is null || options.Only.Contains(p.Id)).ToList();
        if (selected.Count == 0) throw new ArgumentException($"{options.Problems}: no problem selected");
        var search = SearchOptions(options);
        var judge = Microsoft.FSharp.Core.FuncConvert.FromFunc<Expr, Expr, bool>(Equivalence.isSymbolicSolution);
        var entries = new List<SrBenchEntry>();
        foreach (var runSeed in options.RunSeeds)
            foreach (var problem in selected)
            {
                if (cancellationToken.IsCancellationRequested) break;
                var seed = ProblemSeed(runSeed, problem.Id);
                var outcome = SrBench.runProblem(search, judge, options.Rows, options.Noise, seed, cancellationToken, problem);
                var entry = new SrBenchEntry(problem.Id, Print.infix(problem.Truth), outcome.Found is { } f ? Print.infix(f.Value) : "",
                    outcome.SymbolicSolution, outcome.R2Test, outcome.Seconds, outcome.Complexity)
                {
                    RunSeed = runSeed,
                    ProblemSeed = seed,
                };
                entries.Add(entry);
                onEntry?.Invoke(entry);
            }
        return Summarise(options, entries);
    }

    private static SearchOptions SearchOptions(SrBenchOptions options)
    {
        var (binary, unary) = OperatorNames.Parse(options.Operators);
        var regression = new SymbolicRegression().WithOperators(binary, unary).WithTimeout(TimeSpan.FromSeconds(options.Seconds));
        if (options.Iterations is { } iterations) regression = regression.WithIterations(iterations);
        return (options.SensibleNesting ? regression.WithSensibleNesting() : regression).Options;
    }

    /// <summary>Per-seed rates and their medians over the entries of a run.</summary>
    public static SrBenchReport Summarise(SrBenchOptions options, IReadOnlyList<SrBenchEntry> entries)
    {
        var perSeed = entries.GroupBy(e => e.RunSeed)
            .Select(g => new SrBenchSeedRates(g.Key, g.Count(e => e.SymbolicSolution) / (double)g.Count(),
                g.Count(e => e.AccuracySolution) / (double)g.Count()))
            .ToList();
        return new SrBenchReport(options.Problems, options.Seconds, options.Noise, options.Rows, options.RunSeeds[0], options.Operators,
            options.SensibleNesting, entries,
            Median(perSeed.Select(r => r.SymbolicSolutionRate)), Median(perSeed.Select(r => r.AccuracySolutionRate)),
            new DiscoveryResult { Method = "bench" }.ToolVersion)
        {
            Seeds = options.RunSeeds,
            Iterations = options.Iterations,
            Label = options.Label,
            PerSeed = perSeed,
        };
    }

    /// <summary>The median (the mean of the middle two for an even count); NaN when empty.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Writes <c>DIR/result.json</c>.</summary>
    public static string Write(string directory, SrBenchReport report)
    {
        var path = Path.Combine(directory, "result.json");
        File.WriteAllText(path, JsonSerializer.Serialize(report, ResultJson.Options));
        return path;
    }

    /// <summary>Reads a report written by <see cref="Write"/>; throws <see cref="InvalidDataException"/> naming the file.</summary>
    public static SrBenchReport Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SrBenchReport>(File.ReadAllText(path), ResultJson.Options)
                   ?? throw new InvalidDataException($"{path}: empty benchmark result");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a benchmark result ({e.Message})");
        }
    }

    /// <summary>One line per problem.</summary>
    public static string Format(SrBenchEntry e) => string.Create(CultureInfo.InvariantCulture,
        $"{e.Id,-10} seed {e.RunSeed,-3} {(e.SymbolicSolution ? "symbolic" : e.AccuracySolution ? "accurate" : "-"),-9} R2={e.R2Test,10:F6} {e.Seconds,6:F1}s  {e.Found}");

    /// <summary>The summary line: median rates over the seeds with their ranges.</summary>
    public static string Summary(SrBenchReport report)
    {
        string Range(Func<SrBenchSeedRates, double> rate) =>
            report.PerSeed.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (range {report.PerSeed.Min(rate):P1}-{report.PerSeed.Max(rate):P1})") : "";
        var problems = report.Entries.Select(e => e.Id).Distinct().Count();
        return string.Create(CultureInfo.InvariantCulture,
            $"problems: {problems}  seeds: {report.Seeds.Count}  symbolic-solution rate: {report.SymbolicSolutionRate:P1}{Range(r => r.SymbolicSolutionRate)}  " +
            $"accuracy-solution rate (R2 > 0.999): {report.AccuracySolutionRate:P1}{Range(r => r.AccuracySolutionRate)}");
    }
}
