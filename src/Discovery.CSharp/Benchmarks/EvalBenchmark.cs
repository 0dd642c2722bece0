using System.Diagnostics;
using System.Globalization;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.Benchmarks;

/// <summary>Settings of the evaluation benchmark.</summary>
/// <param name="Rows">Rows of data per evaluation (at least 16).</param>
/// <param name="Repeat">Timed samples per method and expression; the median counts.</param>
/// <param name="SampleMilliseconds">Target duration of one sample (calls are repeated until it is reached).</param>
/// <param name="Seed">Seed of the random data.</param>
/// <param name="BatchSize">Rows per batch of the evaluator (0: its default).</param>
public sealed record EvalBenchmarkOptions(int Rows = 1000, int Repeat = 21, double SampleMilliseconds = 0.5, int Seed = 1, int BatchSize = 0);

/// <summary>Median times of one expression, in nanoseconds per row. <paramref name="Ours"/> is the evaluator as
/// programs meet it (hot programs fused into one SIMD loop), <paramref name="Interpreted"/> its first tier alone.</summary>
public sealed record EvalBenchmarkRow(string Name, int Nodes, double Ours, double Hand, double Naive, double Interpreted)
{
    /// <summary>Nodes evaluated per second by the evaluator.</summary>
    public double NodeEvaluationsPerSecond => Nodes / Ours * 1e9;
}

/// <summary>The table and the aggregate ratios (total suite time: ours / hand loops, naive / ours).</summary>
public sealed record EvalBenchmarkReport(IReadOnlyList<EvalBenchmarkRow> Rows, int RowsPerEvaluation, double VsHandLoop, double VsNaive);

/// <summary>
/// Measures, side by side in one run, the evaluator (compiled program: fused into one SIMD loop once hot; and its
/// interpreter tier alone, batched SIMD kernels per operator, for reference), the hand-written fused loops
/// of <see cref="EvalSuite"/> and the naive per-row tree walk (<c>Evaluate.at</c>) on every expression of the suite.
/// Warm-up first (so the JIT has optimised all three), then samples interleaved across the three methods so that drifts
/// in machine load hit them alike; each figure is a median.
/// </summary>
public static class EvalBenchmark
{
    /// <summary>Runs the suite. Throws <see cref="ArgumentException"/> for bad options and
    /// <see cref="InvalidOperationException"/> if the three methods disagree on any value.</summary>
    public static EvalBenchmarkReport Run(EvalBenchmarkOptions options)
    {
        if (options.Rows < 16) throw new ArgumentException("rows must be at least 16", nameof(options));
        if (options.Repeat < 1) throw new ArgumentException("repeat must be at least 1", nameof(options));
        var data = EvalSuite.Data(options.Rows, options.Seed);
        var batchSize = options.BatchSize > 0 ? options.BatchSize : Evaluator.defaultBatchSize;
        var methods = EvalSuite.Cases.Select(c => Prepare(c, data, batchSize)).ToList();

        foreach (var m in methods) m.Check();
        // Warm up in rounds with pauses between, so that tiered compilation has replaced every hot method by its
        // optimised form, and the evaluator has fused every program it fuses, before the first sample: the first
        // round runs each method for 40 ms, past the evaluator's fusion threshold; the last sets the calls per sample.
        for (var round = 0; round < 3; round++)
        {
            foreach (var m in methods) m.WarmUp(round == 0 ? Math.Max(40.0, options.SampleMilliseconds) : options.SampleMilliseconds);
            Thread.Sleep(round < 2 ? 300 : 50);
        }

        var rows = new List<EvalBenchmarkRow>();
        foreach (var m in methods)
        {
            var ours = new double[options.Repeat];
            var hand = new double[options.Repeat];
            var naive = new double[options.Repeat];
            var interpreted = new double[options.Repeat];
            for (var r = 0; r < options.Repeat; r++)
            {
                ours[r] = Sample(m.Ours, m.OursCalls);
                hand[r] = Sample(m.Hand, m.HandCalls);
                naive[r] = Sample(m.Naive, m.NaiveCalls);
                interpreted[r] = Sample(m.Interpreted, m.InterpretedCalls);
            }
            double PerRow(double[] samples) => Median(samples) / options.Rows;
            rows.Add(new EvalBenchmarkRow(m.Case.Name, m.Nodes, PerRow(ours), PerRow(hand), PerRow(naive), PerRow(interpreted)));
        }

        var totalOurs = rows.Sum(r => r.Ours);
        return new EvalBenchmarkReport(rows, options.Rows, totalOurs / rows.Sum(r => r.Hand), rows.Sum(r => r.Naive) / totalOurs);
    }

    /// <summary>Prints the table; the last line is exactly <c>vs-hand-loop: R vs-naive: R</c>.</summary>
    public static void Write(EvalBenchmarkReport report, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var width = Math.Max(10, report.Rows.Max(r => r.Name.Length));
        output.WriteLine(string.Create(c, $"Evaluation benchmark: {report.Rows.Count} expressions, {report.RowsPerEvaluation} rows, ns per row (median)"));
        output.WriteLine(string.Create(c,
            $"{"expression".PadRight(width)}  {"nodes",5}  {"ours",8}  {"interp",8}  {"hand",8}  {"naive",8}  {"ours/hand",9}  {"interp/hand",11}  {"naive/ours",10}  {"node-evals/s",12}"));
        foreach (var r in report.Rows)
            output.WriteLine(string.Create(c,
                $"{r.Name.PadRight(width)}  {r.Nodes,5}  {r.Ours,8:F3}  {r.Interpreted,8:F3}  {r.Hand,8:F3}  {r.Naive,8:F1}  {r.Ours / r.Hand,9:F2}  {r.Interpreted / r.Hand,11:F2}  {r.Naive / r.Ours,10:F1}  {r.NodeEvaluationsPerSecond,12:E2}"));
        var totalNodes = report.Rows.Sum(r => r.Nodes);
        var totalOurs = report.Rows.Sum(r => r.Ours);
        output.WriteLine(string.Create(c,
            $"{"total".PadRight(width)}  {totalNodes,5}  {totalOurs,8:F3}  {report.Rows.Sum(r => r.Interpreted),8:F3}  {report.Rows.Sum(r => r.Hand),8:F3}  {report.Rows.Sum(r => r.Naive),8:F1}  {report.VsHandLoop,9:F2}  {report.Rows.Sum(r => r.Interpreted) / report.Rows.Sum(r => r.Hand),11:F2}  {report.VsNaive,10:F1}  {totalNodes / totalOurs * 1e9,12:E2}"));
        output.WriteLine(string.Create(c, $"vs-hand-loop: {report.VsHandLoop:F2} vs-naive: {report.VsNaive:F2}"));
    }

    private sealed class Prepared(EvalCase @case, int nodes, Action ours, Action hand, Action naive, Action interpreted,
        Func<(double[] Ours, double[] Hand, double[] Naive, double[] Interpreted)> outputs)
    {
        public EvalCase Case { get; } = @case;
        public int Nodes { get; } = nodes;
        public Action Ours { get; } = ours;
        public Action Hand { get; } = hand;
        public Action Naive { get; } = naive;
        public Action Interpreted { get; } = interpreted;
        public int OursCalls { get; private set; } = 1;
        public int InterpretedCalls { get; private set; } = 1;
        public int HandCalls { get; private set; } = 1;
        public int NaiveCalls { get; private set; } = 1;

        /// <summary>Runs each method once and compares the values (relative 1e-9: the loops use other formulas).</summary>
        public void Check()
        {
            Ours();
            Hand();
            Naive();
            Interpreted();
            var (o, h, n, t) = outputs();
            for (var i = 0; i < o.Length; i++)
                if (!Close(n[i], o[i]) || !Close(n[i], h[i]) || !Close(n[i], t[i]))
                    throw new InvalidOperationException(
                        $"'{Case.Name}' row {i}: naive {n[i]:R}, evaluator {o[i]:R}, interpreter {t[i]:R}, hand loop {h[i]:R}");
        }

        /// <summary>Runs each method for a while and sets how many calls make one sample of the target length.</summary>
        public void WarmUp(double sampleMilliseconds)
        {
            OursCalls = Calibrate(Ours, sampleMilliseconds);
            HandCalls = Calibrate(Hand, sampleMilliseconds);
            NaiveCalls = Calibrate(Naive, sampleMilliseconds);
            InterpretedCalls = Calibrate(Interpreted, sampleMilliseconds);
        }

        private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1.0, Math.Abs(a));
    }

    private static Prepared Prepare(EvalCase c, double[][] data, int batchSize)
    {
        var program = Compile.ToProgram(ListModule.OfArray(EvalSuite.Variables), c.Expression) switch
        {
            { IsOk: true } ok => ok.ResultValue,
            var error => throw new InvalidOperationException($"'{c.Name}' does not compile: {error.ErrorValue}"),
        };
        var rows = data[0].Length;
        var workspace = new Workspace(batchSize);
        var interpreterOnly = new Workspace(batchSize, fuses: false);
        var interpreted = new double[rows];
        var ours = new double[rows];
        var hand = new double[rows];
        var naive = new double[rows];
        var parameters = program.ParameterValues;
        var values = new Dictionary<string, double>();
        var expression = c.Expression;
        return new Prepared(
            c,
            program.Instructions.Length,
            () => Evaluator.EvaluateInto(workspace, program, parameters, data, ours),
            () => c.HandLoop(data, hand),
            () =>
            {
                for (var i = 0; i < rows; i++)
                {
                    for (var v = 0; v < EvalSuite.Variables.Length; v++) values[EvalSuite.Variables[v]] = data[v][i];
                    naive[i] = Evaluate.at(values, expression);
                }
            },
            () => Evaluator.EvaluateInto(interpreterOnly, program, parameters, data, interpreted),
            () => (ours, hand, naive, interpreted));
    }

    /// <summary>Calls until at least 30 calls and the target time have passed; returns calls per target time.</summary>
    private static int Calibrate(Action action, double milliseconds)
    {
        var watch = Stopwatch.StartNew();
        var calls = 0;
        while (calls < 30 || watch.Elapsed.TotalMilliseconds < milliseconds)
        {
            action();
            calls++;
        }
        return Math.Max(1, (int)(calls * milliseconds / watch.Elapsed.TotalMilliseconds));
    }

    /// <summary>Nanoseconds per call, measured over <paramref name="calls"/> calls.</summary>
    private static double Sample(Action action, int calls)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
    }

    private static double Median(double[] samples)
    {
        var sorted = samples.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
