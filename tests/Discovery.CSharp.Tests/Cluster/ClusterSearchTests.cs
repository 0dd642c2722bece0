using System.Globalization;
using System.Text.Json;
using Discovery.Cluster;
using Symbolic;
using Symbolic.Search;

namespace Discovery.Tests.Cluster;

/// <summary>Three <c>discovery worker</c> processes on loopback, started once for the class and always killed.</summary>
public sealed class WorkerCluster : IDisposable
{
    public const string Secret = "test-secret-of-the-cluster-tests";

    public List<WorkerProcess> Workers { get; } = [];

    public WorkerCluster()
    {
        var cli = CliPath();
        try
        {
            var seed = WorkerProcess.Start(cli, WorkerProcess.FreePort(), null, 1, Secret);
            Workers.Add(seed);
            seed.WaitReady(TimeSpan.FromSeconds(40));
            for (var i = 0; i < 2; i++) Workers.Add(WorkerProcess.Start(cli, WorkerProcess.FreePort(), seed.Endpoint, 1, Secret));
            foreach (var w in Workers) w.WaitReady(TimeSpan.FromSeconds(40));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Seed => Workers[0].Endpoint;

    /// <summary>The built CLI: next to the tests when its runtime config was copied, else in its own build folder.</summary>
    private static string CliPath()
    {
        var here = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(here, "discovery.runtimeconfig.json"))) return Path.Combine(here, "discovery.dll");
        var dir = new DirectoryInfo(here);
        var configuration = dir.Parent?.Name ?? "Debug"; // bin/<Configuration>/net10.0
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Discovery.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("cannot find the repository root from " + here);
        var path = Path.Combine(dir.FullName, "src", "Discovery.Cli", "bin", configuration, "net10.0", "discovery.dll");
        if (!File.Exists(path)) throw new InvalidOperationException($"the CLI is not built at {path}");
        return path;
    }

    public void Dispose()
    {
        foreach (var w in Workers) w.Dispose();
    }
}

/// <summary>Island search over worker processes: a lost node costs only its islands' current iteration.</summary>
public sealed class ClusterSearchTests(WorkerCluster cluster) : IClassFixture<WorkerCluster>
{
    private static Dataset Table()
    {
        var rng = new Random(9);
        var x = Enumerable.Range(0, 80).Select(_ => -2 + 4 * rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 80).Select(_ => -2 + 4 * rng.NextDouble()).ToArray();
        var target = x.Zip(y, (a, b) => 2.5 * a * b - a).ToArray();
        return new Dataset(["x", "y"], [x, y], target, null);
    }

    private static SearchOptions Options() =>
        new SymbolicRegression()
            .WithSeed(7)
            .WithPopulations(6, 24)
            .WithIterations(10)
            .Options;

    private static List<string> FrontText(SearchResult r) =>
        r.Front.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Complexity} {Checkpoint.treeToText(e.Tree)} {e.Loss:R}")).ToList();

    [Fact]
    public void A_search_that_loses_a_worker_mid_run_still_recovers_the_equation_and_matches_the_in_process_front()
    {
        var data = Table();
        var options = Options();
        var victim = cluster.Workers[2];
        SearchResult result;
        ClusterStats stats;
        using (var search = ClusterSearch.Connect(
                   new ClusterConnectOptions(cluster.Seed, ClusterSecret.FromText(WorkerCluster.Secret), MinWorkers: 3), options, data))
        {
            var outcome = Search.runOn(search, options, data, Microsoft.FSharp.Collections.FSharpList<Expr>.Empty,
                Microsoft.FSharp.Core.FuncConvert.FromAction<SearchProgress>(p =>
                {
                    if (p.Iteration == 2) victim.Kill();
                }), CancellationToken.None);
            Assert.True(outcome.IsOk, outcome.IsError ? outcome.ErrorValue : "");
            result = outcome.ResultValue;
            stats = search.Stats;
        }
        Assert.True(victim.HasExited);
        Assert.Equal(3, stats.NodesTookPart);
        Assert.Equal(1, stats.NodesLost);
        var chosen = result.Chosen!.Value;
        var truth = Algebra.Parse("2.5*x*y - x");
        Assert.True(Algebra.Equivalent(truth, chosen.Expression), $"found {Print.infix(chosen.Expression)}");
        // Islands re-run from their last state give what they would have given: the cluster's front is the
        // in-process front of the same seed, node loss or not.
        var local = Search.run(options, data, Microsoft.FSharp.Collections.FSharpList<Expr>.Empty,
            Microsoft.FSharp.Core.FuncConvert.FromAction<SearchProgress>(_ => { }), CancellationToken.None);
        Assert.Equal(FrontText(local.ResultValue), FrontText(result));
    }

    [Fact]
    public void A_coordinator_with_a_wrong_secret_gets_no_worker_and_the_workers_stay()
    {
        var alive = cluster.Workers.Where(w => !w.HasExited).ToList();
        var error = Assert.Throws<ClusterException>(() => ClusterSearch.Connect(
            new ClusterConnectOptions(cluster.Seed, ClusterSecret.FromText("not-the-secret-of-this-cluster"),
                WaitForWorkers: TimeSpan.FromSeconds(8)), Options(), Table()));
        Assert.Contains("secret", error.Message);
        Assert.All(alive, w => Assert.False(w.HasExited));
    }

    [Fact]
    public void Sr_with_cluster_writes_the_nodes_that_took_part_into_result_json()
    {
        var dir = Directory.CreateTempSubdirectory("discovery-cluster-").FullName;
        try
        {
            var csv = Path.Combine(dir, "data.csv");
            var data = Table();
            File.WriteAllLines(csv, new[] { "x,y,z" }.Concat(Enumerable.Range(0, data.Rows).Select(i =>
                string.Create(CultureInfo.InvariantCulture, $"{data.Columns[0][i]:R},{data.Columns[1][i]:R},{data.Target[i]:R}"))));
            var secret = Path.Combine(dir, "secret");
            File.WriteAllText(secret, WorkerCluster.Secret);
            var checkpoint = Path.Combine(dir, "search.checkpoint");
            var (code, output, error) = Discovery.Tests.Cli.CliBasicsTests.Run("sr", csv, "--iterations", "1", "--seed", "1",
                "--cluster", cluster.Seed, "--secret-file", secret, "--checkpoint", checkpoint, "--out", Path.Combine(dir, "first"));
            Assert.True(code == 0, error);
            Assert.Contains("worker node(s) took part", output);
            Assert.True(File.Exists(checkpoint));
            // A new coordinator picks the search up from the checkpoint: only the second iteration runs on the cluster.
            (code, output, error) = Discovery.Tests.Cli.CliBasicsTests.Run("sr", csv, "--iterations", "2", "--seed", "1",
                "--cluster", cluster.Seed, "--secret-file", secret, "--checkpoint", checkpoint, "--out", Path.Combine(dir, "out"));
            Assert.True(code == 0, error);
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out", "result.json")));
            var section = json.RootElement.GetProperty("cluster");
            Assert.True(section.GetProperty("nodes").GetInt32() >= 1);
            Assert.Equal(15, section.GetProperty("island_messages").GetInt64());
            Assert.Equal(2, json.RootElement.GetProperty("metrics").GetProperty("iterations").GetDouble());
            Assert.Equal("sr", json.RootElement.GetProperty("method").GetString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
