using System.Globalization;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;
using Symbolic;
using Symbolic.Search;

namespace Discovery.Cluster;

/// <summary>One measurement of <see cref="ClusterBenchmark"/>.</summary>
/// <param name="Workers">Worker processes (0: the search in this process, one thread).</param>
/// <param name="EvaluationsPerSecond">Candidate evaluations per second of search time (start-up excluded).</param>
/// <param name="Stats">The cluster's figures (null in process).</param>
public sealed record ClusterBenchmarkRow(int Workers, double EvaluationsPerSecond, ClusterStats? Stats);

/// <summary>
/// Evaluations per second of the same search in process and on 1, 2, 4... worker processes on loopback (one island
/// thread each), and the overhead of one island message (round trip minus the worker's time).
/// </summary>
public static class ClusterBenchmark
{
    private const string Secret = "benchmark-secret-on-loopback-only";

    private static Dataset Data()
    {
        var rng = new Random(1);
        var columns = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 500).Select(_ => -3 + 6 * rng.NextDouble()).ToArray()).ToArray();
        var target = Enumerable.Range(0, 500).Select(i => Math.Sin(columns[0][i]) * columns[1][i] + columns[2][i] * columns[2][i] / 3).ToArray();
        return new Dataset(["a", "b", "c"], columns, target, null);
    }

    private static SearchOptions Options(double seconds) =>
        new SymbolicRegression()
            .WithOperators(["add", "sub", "mul", "div"], ["sin", "cos", "exp"])
            .WithSeed(1)
            .WithPopulations(16, 33)
            .WithTimeout(TimeSpan.FromSeconds(seconds))
            .Options;

    /// <summary>Runs the search for <paramref name="seconds"/> in process and on each worker count.</summary>
    public static IReadOnlyList<ClusterBenchmarkRow> Run(string cli, IReadOnlyList<int> workerCounts, double seconds, Action<ClusterBenchmarkRow> report)
    {
        var data = Data();
        var options = Options(seconds);
        var rows = new List<ClusterBenchmarkRow>();
        var local = Search.runOn(IslandWork.inProcess(FSharpOption<int>.Some(1)), options, data, FSharpList<Expr>.Empty,
            FuncConvert.FromAction<SearchProgress>(_ => { }), CancellationToken.None).ResultValue;
        rows.Add(new ClusterBenchmarkRow(0, local.Evaluations / local.Elapsed.TotalSeconds, null));
        report(rows[^1]);
        foreach (var n in workerCounts)
        {
            var workers = new List<WorkerProcess>();
            try
            {
                var seed = WorkerProcess.Start(cli, WorkerProcess.FreePort(), null, 1, Secret);
                workers.Add(seed);
                seed.WaitReady(TimeSpan.FromSeconds(60));
                for (var i = 1; i < n; i++) workers.Add(WorkerProcess.Start(cli, WorkerProcess.FreePort(), seed.Endpoint, 1, Secret));
                foreach (var w in workers) w.WaitReady(TimeSpan.FromSeconds(60));
                using var search = ClusterSearch.Connect(new ClusterConnectOptions(seed.Endpoint, ClusterSecret.FromText(Secret), MinWorkers: n,
                    WaitForWorkers: TimeSpan.FromSeconds(60)), options, data);
                var result = Search.runOn(search, options, data, FSharpList<Expr>.Empty, FuncConvert.FromAction<SearchProgress>(_ => { }),
                    CancellationToken.None).ResultValue;
                rows.Add(new ClusterBenchmarkRow(n, result.Evaluations / result.Elapsed.TotalSeconds, search.Stats));
                report(rows[^1]);
            }
            finally
            {
                foreach (var w in workers) w.Dispose();
            }
        }
        return rows;
    }

    /// <summary>One line per row: "workers N: E evaluations/s, overhead M ms per island message (B bytes)".</summary>
    public static string Format(ClusterBenchmarkRow row) => row.Stats is null
        ? string.Create(CultureInfo.InvariantCulture, $"in process (1 thread): {row.EvaluationsPerSecond:F0} evaluations/s")
        : string.Create(CultureInfo.InvariantCulture,
            $"workers {row.Workers}: {row.EvaluationsPerSecond:F0} evaluations/s; {row.Stats.IslandMessages} island messages, round trip {row.Stats.MeanRoundTripMilliseconds:F1} ms of which work {row.Stats.MeanWorkMilliseconds:F1} ms, overhead {row.Stats.MeanOverheadMilliseconds:F2} ms, {(double)row.Stats.Bytes / Math.Max(1, 2 * row.Stats.IslandMessages):F0} characters per state");
}
