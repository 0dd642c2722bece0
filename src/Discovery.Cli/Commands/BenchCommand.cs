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
