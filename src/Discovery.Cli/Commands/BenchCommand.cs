using System.CommandLine;
using Discovery.Benchmarks;
using Discovery.Data;
using Discovery.Neural.Pinn;

namespace Discovery.Cli.Commands;

/// <summary><c>discovery bench</c>: speed measurements; <c>bench eval</c> times the expression evaluator.</summary>
internal static class BenchCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("bench", "Measure the speed of parts of Discovery.");
        command.Subcommands.Add(BuildEval(output));
        command.Subcommands.Add(SrBenchCommand.Build(output));
        command.Subcommands.Add(SrBenchCommand.BuildCompare(output));
        command.Subcommands.Add(BuildSindy(output));
        command.Subcommands.Add(BuildCluster(output));
        command.Subcommands.Add(BuildPinn(output));
        return command;
    }

    private static Command BuildCluster(TextWriter output)
    {
        var workers = new Option<string>("--workers") { Description = "Worker process counts to measure, comma-separated.", DefaultValueFactory = _ => "1,2,4" };
        var seconds = new Option<double>("--seconds") { Description = "Search time per measurement.", DefaultValueFactory = _ => 20 };
        var command = new Command("cluster",
            "Evaluations per second of one search in process and on 1, 2, 4 'discovery worker' processes on loopback (one island " +
            "thread each), and the overhead of one island message (round trip minus the worker's time).")
        {
            workers, seconds,
        };
        command.SetAction(parseResult =>
        {
            OptionLimits.Seconds(parseResult, seconds);
            var counts = new List<int>();
            foreach (var part in parseResult.GetValue(workers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                counts.Add(int.TryParse(part, out var n) && n >= 1 ? n : throw new CliError($"--workers: '{part}' is not a positive integer"));
            var s = parseResult.GetValue(seconds);
            if (s <= 0) throw new CliError($"--seconds must be positive (got {s})");
            // Workers are this same program: the dll when run with dotnet, else this executable.
            var self = Environment.ProcessPath ?? "dotnet";
            var cli = Path.GetFileNameWithoutExtension(self) == "dotnet" ? typeof(BenchCommand).Assembly.Location : self;
            try
            {
                Discovery.Cluster.ClusterBenchmark.Run(cli, counts, s, row => output.WriteLine(Discovery.Cluster.ClusterBenchmark.Format(row)));
            }
            catch (Discovery.Cluster.ClusterException e)
            {
                throw new CliError(e.Message);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildPinn(TextWriter output)
    {
        var example = new Option<string>("--example") { Description = "lotka-volterra, budworm or burgers.", DefaultValueFactory = _ => "lotka-volterra" };
        var points = new Option<string>("--points") { Description = "Data points, comma-separated (Burgers: time slices).", DefaultValueFactory = _ => "5,10,20,40" };
        var noise = new Option<string>("--noise") { Description = "Noise levels, comma-separated.", DefaultValueFactory = _ => "0,0.001,0.01,0.1" };
        var epochs = new Option<int>("--epochs") { Description = "Adam steps per run.", DefaultValueFactory = _ => 3000 };
        var lbfgs = new Option<int>("--lbfgs") { Description = "L-BFGS iterations per run.", DefaultValueFactory = _ => 300 };
        var searchSeconds = new Option<double>("--search-seconds") { Description = "Distillation search time per hidden term.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of noise and training.", DefaultValueFactory = _ => 1 };
        var hiddenWidth = new Option<int>("--hidden-width") { Description = "Units per layer of each hidden-term network.", DefaultValueFactory = _ => 16 };
        var penalty = new Option<double>("--penalty") { Description = "L2 penalty on the hidden networks' weights.", DefaultValueFactory = _ => 1e-4 };
        var timeEnd = new Option<double?>("--t-end") { Description = "End of the sampled time span (default: the example's own: 5, 45 or 0.25)." };
        var viscosity = new Option<double?>("--nu") { Description = "Burgers' viscosity (default 0.01/pi)." };
        var collocation = new Option<int?>("--collocation") { Description = "Collocation points of the residual (default 256 for ODEs, 2000 for Burgers)." };
        var command = new Command("pinn",
            "Hidden-term PINN sweep: recovery (exact form, coefficient error) and training time over numbers of data points and noise " +
            "levels, as a Markdown table.")
        {
            example, points, noise, epochs, lbfgs, searchSeconds, seed, hiddenWidth, penalty, timeEnd, viscosity, collocation,
        };
        command.SetAction(parseResult =>
        {
            OptionLimits.Seconds(parseResult, searchSeconds);
            var g = System.Globalization.CultureInfo.InvariantCulture;
            int[] pointList;
            double[] noiseList;
            try
            {
                pointList = parseResult.GetValue(points)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, g)).ToArray();
                noiseList = parseResult.GetValue(noise)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => double.Parse(p, g)).ToArray();
            }
            catch (FormatException)
            {
                throw new CliError("--points takes whole numbers and --noise numbers, comma-separated (e.g. --points 5,10 --noise 0,0.01)");
            }
            if (pointList.Length == 0 || pointList.Any(p => p < 2)) throw new CliError("--points: each number of points must be at least 2");
            OptionLimits.AtMost("--points", pointList.Max(), OptionLimits.Collocation);
            OptionLimits.AtMost(parseResult, epochs, OptionLimits.Steps);
            OptionLimits.AtMost(parseResult, lbfgs, OptionLimits.Steps);
            OptionLimits.AtMost(parseResult, hiddenWidth, OptionLimits.Width);
            if (noiseList.Length == 0 || noiseList.Any(n => !(n >= 0))) throw new CliError("--noise: levels must be 0 or more");
            var name = parseResult.GetValue(example)!;
            if (name is not ("lotka-volterra" or "budworm" or "burgers")) throw new CliError($"--example: unknown example '{name}' (lotka-volterra, budworm, burgers)");
            var span = parseResult.GetValue(timeEnd);
            var nu = parseResult.GetValue(viscosity);
            if (span is { } end && !(end > 0 && double.IsFinite(end))) throw new CliError("--t-end must be a positive number");
            if (nu is { } v && !(v > 0 && double.IsFinite(v))) throw new CliError("--nu must be a positive number");
            if (nu is not null && name != "burgers") throw new CliError("--nu applies to --example burgers only");
            var options = new PinnOptions(Epochs: parseResult.GetValue(epochs), LbfgsIterations: parseResult.GetValue(lbfgs),
                HiddenWidth: parseResult.GetValue(hiddenWidth), HiddenPenalty: parseResult.GetValue(penalty),
                CollocationPoints: parseResult.GetValue(collocation) ?? (name == "burgers" ? 2000 : 256),
                Distillation: new DistillationOptions(SearchSeconds: parseResult.GetValue(searchSeconds)));
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            var hidden = PinnBenchmark.Example(name, pointList[0], 0, 1, span, nu).Truth.Keys.ToArray();
            output.WriteLine(PinnBenchmark.Header(hidden));
            using var cancel = ConsoleCancellation.Create(Console.Error);
            PinnBenchmark.Run(new PinnBenchmarkOptions(name, pointList, noiseList, options, parseResult.GetValue(seed), span, nu),
                row => output.WriteLine(PinnBenchmark.Format(row)), cancel.Token);
            return cancel.Token.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildSindy(TextWriter output)
    {
        var data = new Option<string?>("--data") { Description = "CSV trajectories (default: PySINDy's Lorenz example, simulated)." };
        var noise = new Option<double>("--noise") { Description = "Noise level for the simulated data (std = level x RMS per state).", DefaultValueFactory = _ => 0.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of that noise.", DefaultValueFactory = _ => 1 };
        var threshold = new Option<double>("--threshold") { Description = "STLSQ threshold.", DefaultValueFactory = _ => 0.5 };
        var degree = new Option<int>("--degree") { Description = "Polynomial library degree.", DefaultValueFactory = _ => 2 };
        var diff = new Option<string>("--diff") { Description = "Differentiation: fd2, fd4, savgol, spectral, tv or spline.", DefaultValueFactory = _ => "fd4" };
        var weak = new Option<bool>("--weak") { Description = "Fit in the weak form." };
        var repeat = new Option<int>("--repeat") { Description = "Timed fits (the median counts).", DefaultValueFactory = _ => 30 };
        var command = new Command("sindy",
            "In-process fit time of SINDy (STLSQ, polynomial library) after warm-up, and the coefficients; the last line is " +
            "'fit-ms: median <ms> fastest <ms> rows <n>'. Compare with PySINDy's model.fit on the same CSV.");
        foreach (var option in new Option[] { data, noise, seed, threshold, degree, diff, weak, repeat }) command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            var options = new SindyBenchmarkOptions(parseResult.GetValue(data), parseResult.GetValue(noise), parseResult.GetValue(seed),
                parseResult.GetValue(threshold), parseResult.GetValue(degree), parseResult.GetValue(diff)!, parseResult.GetValue(weak),
                parseResult.GetValue(repeat));
            if (options.Repeat < 1) throw new CliError($"--repeat must be at least 1 (got {options.Repeat})");
            if (options.Degree < 1) throw new CliError($"--degree must be at least 1 (got {options.Degree})");
            OptionLimits.AtMost("--degree", options.Degree, OptionLimits.Degree);
            OptionLimits.AtMost("--repeat", options.Repeat, OptionLimits.Count);
            if (options.DataPath is { } path) CliInput.Check(path);
            try
            {
                SindyBenchmark.Write(SindyBenchmark.Run(options), output);
            }
            catch (Exception e) when (e is ArgumentException or Discovery.Data.DataFormatException)
            {
                throw new CliError(e.Message);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildEval(TextWriter output)
    {
        var rows = new Option<int>("--rows") { Description = "Rows of data per evaluation (at least 16).", DefaultValueFactory = _ => 1000 };
        var repeat = new Option<int>("--repeat") { Description = "Timed samples per method and expression (the median counts).", DefaultValueFactory = _ => 15 };
        var batch = new Option<int>("--batch") { Description = "Rows per batch of the evaluator (0: its default).", DefaultValueFactory = _ => 0 };
        var command = new Command("eval",
            "Node evaluations per second of the evaluator on a fixed suite of expressions, side by side with hand-written " +
            "vectorised loops and the naive per-row tree walk. The last line is 'vs-hand-loop: <ours/hand> vs-naive: <naive/ours>'.");
        command.Options.Add(rows);
        command.Options.Add(repeat);
        command.Options.Add(batch);
        command.SetAction(parseResult =>
        {
            var options = new EvalBenchmarkOptions(Rows: parseResult.GetValue(rows), Repeat: parseResult.GetValue(repeat),
                BatchSize: parseResult.GetValue(batch));
            if (options.Rows < 16) throw new CliError($"--rows must be at least 16 (got {options.Rows})");
            OptionLimits.AtMost("--rows", options.Rows, DataLimits.MaxRows);
            OptionLimits.AtMost("--repeat", options.Repeat, OptionLimits.Count);
            if (options.Repeat < 1) throw new CliError($"--repeat must be at least 1 (got {options.Repeat})");
            if (options.BatchSize is < 0 or (> 0 and < 16)) throw new CliError($"--batch must be 0 or at least 16 (got {options.BatchSize})");
            EvalBenchmark.Write(EvalBenchmark.Run(options), output);
            return ExitCodes.Success;
        });
        return command;
    }
}
