using System.CommandLine;
using System.Globalization;
using Discovery.Cluster;
using Discovery.Data;
using Discovery.Regression;
using Discovery.Results;

namespace Discovery.Cli.Commands;

/// <summary><c>discovery sr DATA.csv --target COL</c>: symbolic regression on a table; prints the Pareto front.</summary>
internal static class SrCommand
{
    public static Command Build(TextWriter output)
    {
        var data = new Argument<string>("DATA") { Description = "CSV file: a header and numeric columns." };
        var target = new Option<string?>("--target") { Description = "Column to explain (default: the last column)." };
        var features = new Option<string?>("--features") { Description = "Input columns, comma-separated (default: all others)." };
        var operators = new Option<string>("--operators")
        {
            Description = "Operators, comma-separated: + - * / ^ or names (sin, cos, exp, log, sqrt, square, abs, tanh, ...).",
            DefaultValueFactory = _ => "+,-,*,/",
        };
        var seconds = new Option<double?>("--seconds") { Description = "Time limit in seconds." };
        var iterations = new Option<int?>("--iterations") { Description = "Iteration limit (default 100 when no limit is given)." };
        var maxsize = new Option<int>("--maxsize") { Description = "Largest complexity.", DefaultValueFactory = _ => 30 };
        var seed = new Option<long>("--seed") { Description = "Seed; the same seed gives the same equations.", DefaultValueFactory = _ => 0 };
        var noiseFree = new Option<bool>("--noise-free") { Description = "The data is exact: stop once an equation fits to rounding error." };
        var nesting = NestingOption.Create("free");
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)." };
        var outDir = new Option<string?>("--out") { Description = "Folder for result.json, report.html and report.md (not written when omitted)." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing result in --out." };
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "Checkpoint file, written after every iteration; if it holds a checkpoint, the search resumes from it " +
                          "(any other existing file is refused unless --force, which starts a new search over it).",
        };
        var cluster = new Option<string?>("--cluster") { Description = "HOST:PORT of a cluster of 'discovery worker' nodes: islands evolve there." };
        var bind = new Option<string>("--bind") { Description = "With --cluster: address this node listens on.", DefaultValueFactory = _ => "127.0.0.1" };
        var secretFile = new Option<string?>("--secret-file") { Description = $"With --cluster: file holding the cluster secret (default: ${ClusterSecret.EnvironmentVariable})." };
        var minWorkers = new Option<int>("--min-workers") { Description = "With --cluster: workers to wait for (30 s) before starting.", DefaultValueFactory = _ => 1 };
        var command = new Command("sr", "Symbolic regression: find equations for a column of a table (Pareto front of complexity vs loss).")
        {
            data, target, features, operators, seconds, iterations, maxsize, seed, noiseFree, nesting, threads, outDir, force,
            checkpoint, cluster, bind, secretFile, minWorkers,
        };
        command.SetAction(parseResult =>
        {
            OptionLimits.Seconds(parseResult, seconds);
            CheckLimits(parseResult, maxsize, threads, minWorkers);
            var path = parseResult.GetValue(data)!;
            var table = CliInput.Table(path);
            var (checkpointFile, replaceCheckpoint) = CheckpointPath(parseResult.GetValue(checkpoint), parseResult.GetValue(force), path);
            var options = new TableRegressionOptions(
                Target: parseResult.GetValue(target) ?? table.Names[^1],
                Features: parseResult.GetValue(features)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Operators: parseResult.GetValue(operators)!,
                Seconds: parseResult.GetValue(seconds),
                Iterations: parseResult.GetValue(iterations),
                MaxSize: parseResult.GetValue(maxsize),
                Seed: parseResult.GetValue(seed),
                NoiseFree: parseResult.GetValue(noiseFree),
                Threads: parseResult.GetValue(threads),
                Checkpoint: checkpointFile,
                SensibleNesting: NestingOption.IsSensible(parseResult, nesting));
            Validate(options, table);
            if (parseResult.GetValue(minWorkers) < 1) throw new CliError($"--min-workers must be at least 1 (got {parseResult.GetValue(minWorkers)})");
            var directory = OutputFolder.Prepare(parseResult.GetValue(outDir), parseResult.GetValue(force));
            using var clusterSearch = Connect(parseResult.GetValue(cluster), parseResult.GetValue(bind)!, parseResult.GetValue(secretFile),
                parseResult.GetValue(minWorkers), table, options);

            // Only now, with every option checked, is a file that --force gave up removed.
            if (replaceCheckpoint) Replace(checkpointFile!);
            using var cancel = ConsoleCancellation.Create(Console.Error);
            var input = new InputInfo(Path.GetFullPath(path), ResultJson.Sha256Of(path), table.Rows, table.Names.ToList());
            var lastReport = DateTime.MinValue;
            DiscoveryResult result;
            try
            {
                result = TableRegression.Run(table, options, input, p =>
                {
                    if (DateTime.UtcNow - lastReport < TimeSpan.FromSeconds(1)) return;
                    lastReport = DateTime.UtcNow;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"iteration {p.Iteration}: {p.Evaluations:N0} evaluations ({p.EvaluationsPerSecond:N0}/s), best loss {p.BestLoss:G4}"));
                }, cancel.Token, clusterSearch);
            }
            catch (Exception e) when (e is ArgumentException or ClusterException)
            {
                throw new CliError(e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliError($"cannot write the checkpoint {options.Checkpoint}: {e.Message}");
            }
            if (clusterSearch is not null)
            {
                var stats = clusterSearch.Stats;
                result = AddCluster(result, stats, parseResult.GetValue(cluster)!);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"cluster: {stats.NodesTookPart} worker node(s) took part, {stats.NodesLost} lost, {stats.IslandsReassigned} island iteration(s) re-run, {stats.IslandMessages:N0} island messages ({stats.MeanOverheadMilliseconds:F2} ms overhead each)"));
            }
            WriteFront(output, result);
            if (directory is not null)
            {
                OutputFolder.WriteRun(output, directory, result);
            }
            return result.Interrupted ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The checkpoint file to use, and whether what is there must be replaced: a checkpoint the tool wrote is resumed;
    /// anything else there (another file, a damaged or older checkpoint) is refused unless <paramref name="force"/>,
    /// which starts a new search over it. The data file is never written over.
    /// </summary>
    private static (string? Path, bool Replace) CheckpointPath(string? path, bool force, string data)
    {
        if (path is null) return (null, false);
        var full = OutputFile.Check("--checkpoint", path, force: true, _ => true, data); // empty path, folder, input
        if (!File.Exists(full)) return (full, false);
        var read = Symbolic.Search.Checkpoint.read(full);
        if (read.IsOk) return (full, false);
        if (!force) throw new CliError($"--checkpoint: {read.ErrorValue}; pass --force to start a new search over it");
        return (full, true);
    }

    private static void Replace(string checkpoint)
    {
        Console.Error.WriteLine($"--checkpoint: {checkpoint} is not a usable checkpoint; starting a new search over it as --force asks");
        try
        {
            File.Delete(checkpoint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"--checkpoint {checkpoint}: cannot replace it ({e.Message})");
        }
    }

    private static ClusterSearch? Connect(string? cluster, string bind, string? secretFile, int minWorkers, Table table,
        TableRegressionOptions options)
    {
        if (cluster is null) return null;
        try
        {
            var (data, searchOptions) = TableRegression.Prepare(table, options);
            Console.Error.WriteLine($"joining the cluster at {cluster}; waiting for {minWorkers} worker(s)");
            var search = ClusterSearch.Connect(new ClusterConnectOptions(cluster, ClusterSecret.Load(secretFile), bind, MinWorkers: minWorkers),
                searchOptions, data);
            Console.Error.WriteLine($"{search.Stats.WorkersReady} worker(s) ready");
            return search;
        }
        catch (Exception e) when (e is ArgumentException or ClusterException)
        {
            throw new CliError(e.Message);
        }
    }

    /// <summary>The result with a <c>cluster</c> section (nodes that took part, nodes lost, message figures).</summary>
    private static DiscoveryResult AddCluster(DiscoveryResult result, ClusterStats stats, string address)
    {
        var extra = result.Extra is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(result.Extra);
        extra["cluster"] = new Dictionary<string, object?>
        {
            ["address"] = address,
            ["nodes"] = stats.NodesTookPart,
            ["nodes_lost"] = stats.NodesLost,
            ["islands_reassigned"] = stats.IslandsReassigned,
            ["island_messages"] = stats.IslandMessages,
            ["message_bytes"] = stats.Bytes,
            ["mean_round_trip_ms"] = stats.MeanRoundTripMilliseconds,
            ["mean_overhead_ms"] = stats.MeanOverheadMilliseconds,
        };
        return result with
        {
            Extra = extra,
            Notes = [.. result.Notes, $"Islands evolved on a cluster: {stats.NodesTookPart} worker node(s) took part, {stats.NodesLost} were lost during the search."],
        };
    }

    private static void CheckLimits(ParseResult parseResult, Option<int> maxsize, Option<int?> threads, Option<int> minWorkers)
    {
        OptionLimits.AtMost(parseResult, maxsize, OptionLimits.MaxSize);
        OptionLimits.AtMost(parseResult, threads, OptionLimits.Threads);
        OptionLimits.AtMost(parseResult, minWorkers, OptionLimits.Threads);
    }

    private static void Validate(TableRegressionOptions options, Table table)
    {
        if (!table.Names.Contains(options.Target))
            throw new CliError($"{table.Source}: --target '{options.Target}' is not a column (columns: {string.Join(", ", table.Names)})");
        foreach (var f in options.Features ?? [])
            if (!table.Names.Contains(f))
                throw new CliError($"{table.Source}: --features names '{f}', which is not a column (columns: {string.Join(", ", table.Names)})");
        if (options.MaxSize < 1) throw new CliError($"--maxsize must be at least 1 (got {options.MaxSize})");
        if (options.Seconds is <= 0) throw new CliError($"--seconds must be positive (got {options.Seconds})");
        if (options.Iterations is < 1) throw new CliError($"--iterations must be at least 1 (got {options.Iterations})");
        if (options.Threads is < 1) throw new CliError($"--threads must be at least 1 (got {options.Threads})");
        try
        {
            OperatorNames.Parse(options.Operators);
        }
        catch (ArgumentException e)
        {
            throw new CliError($"--operators: {e.Message}");
        }
    }

    private static void WriteFront(TextWriter output, DiscoveryResult result)
    {
        output.WriteLine($"{"",1} {"complexity",10}  {"loss",-12}  equation");
        foreach (var p in result.Pareto)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(p.Chosen ? "*" : " "),1} {p.Complexity,10}  {p.Loss,-12:G6}  {p.Target} = {p.Expression}"));
        foreach (var e in result.Equations)
            output.WriteLine($"chosen: {e.Target} = {e.Expression}");
    }
}
