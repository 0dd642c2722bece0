using System.CommandLine;
using Discovery.Benchmarks;

namespace Discovery.Cli.Commands;

/// <summary><c>discovery bench</c>: speed measurements; <c>bench eval</c> times the expression evaluator.</summary>
internal static class BenchCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("bench", "Measure the speed of parts of Discovery.");
        command.Subcommands.Add(BuildEval(output));
        command.Subcommands.Add(BuildSindy(output));
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
            if (options.DataPath is { } path && !File.Exists(path)) throw new CliError($"{path}: no such file");
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
            if (options.Repeat < 1) throw new CliError($"--repeat must be at least 1 (got {options.Repeat})");
            if (options.BatchSize is < 0 or (> 0 and < 16)) throw new CliError($"--batch must be 0 or at least 16 (got {options.BatchSize})");
            EvalBenchmark.Write(EvalBenchmark.Run(options), output);
            return ExitCodes.Success;
        });
        return command;
    }
}
