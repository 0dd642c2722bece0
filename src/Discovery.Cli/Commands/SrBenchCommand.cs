using System.CommandLine;
using System.Globalization;
using Discovery.Benchmarks;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery bench srbench</c>: the SRBench ground-truth protocol over a problem file, over one or several seeds, with
/// the command, commit and machine in its result file; and <c>discovery bench compare A.json B.json</c>.
/// </summary>
internal static class SrBenchCommand
{
    public static Command Build(TextWriter output)
    {
        var problems = new Option<string>("--problems") { Description = "Problem file in the AI Feynman / SRBench format.", Required = true };
        var seconds = new Option<double>("--seconds") { Description = "Search time per problem.", DefaultValueFactory = _ => 60 };
        var iterations = new Option<int?>("--iterations")
        {
            Description = "Stop each search after N iterations too: the run then gives the same equations on any machine and under any load.",
        };
        var noise = new Option<double>("--noise") { Description = "Noise level on the training target (std = level x RMS).", DefaultValueFactory = _ => 0 };
        var rows = new Option<int>("--rows") { Description = "Rows sampled per problem (75% train, 25% test).", DefaultValueFactory = _ => 2000 };
        var seed = new Option<long>("--seed") { Description = "Seed of sampling, noise and search (one run).", DefaultValueFactory = _ => 0 };
        var seeds = new Option<string?>("--seeds") { Description = "Several run seeds, comma-separated (e.g. 1,2,3): rates are medians over them." };
        var operators = new Option<string>("--operators") { Description = "Operators of the search.", DefaultValueFactory = _ => SrBenchRunner.DefaultOperators };
        var only = new Option<string?>("--only") { Description = "Run only these problem ids (comma-separated); each keeps the seed of the full run." };
        var label = new Option<string>("--label") { Description = "What the problem set is to the project, e.g. \"used for tuning\".", DefaultValueFactory = _ => "" };
        var nesting = NestingOption.Create("sensible");
        var outDir = new Option<string?>("--out") { Description = "Folder for result.json." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing result in --out." };
        var command = new Command("srbench",
            "SRBench ground-truth protocol: symbolic-solution and accuracy-solution rates of the search on a problem file.")
        {
            problems, seconds, iterations, noise, rows, seed, seeds, operators, only, label, nesting, outDir, force,
        };
        command.SetAction(parseResult =>
        {
            OptionLimits.Seconds(parseResult, seconds);
            var options = new SrBenchOptions(
                parseResult.GetValue(problems)!, parseResult.GetValue(seconds), parseResult.GetValue(noise), parseResult.GetValue(rows),
                parseResult.GetValue(seed), parseResult.GetValue(operators)!,
                parseResult.GetValue(only)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                NestingOption.IsSensible(parseResult, nesting), SeedList(parseResult.GetValue(seeds)), parseResult.GetValue(iterations),
                parseResult.GetValue(label)!);
            if (options.Seconds <= 0) throw new CliError($"--seconds must be positive (got {options.Seconds})");
            if (options.Iterations is < 1) throw new CliError($"--iterations must be at least 1 (got {options.Iterations})");
            if (options.Rows < 8) throw new CliError($"--rows must be at least 8 (got {options.Rows})");
            OptionLimits.AtMost("--rows", options.Rows, OptionLimits.Samples);
            if (options.Noise < 0) throw new CliError($"--noise must not be negative (got {options.Noise})");
            var directory = OutputFolder.Prepare(parseResult.GetValue(outDir), parseResult.GetValue(force));
            using var cancel = ConsoleCancellation.Create(Console.Error);
            SrBenchReport report;
            try
            {
                report = SrBenchRunner.Run(options, e => output.WriteLine(SrBenchRunner.Format(e)), cancel.Token)
                    with { Provenance = Provenance.Current(CommandLine(parseResult)), Interrupted = cancel.Token.IsCancellationRequested };
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            output.WriteLine(SrBenchRunner.Summary(report));
            if (directory is not null) output.WriteLine($"wrote {SrBenchRunner.Write(directory, report)}");
            return report.Interrupted ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    public static Command BuildCompare(TextWriter output)
    {
        var before = new Argument<string>("before") { Description = "Result file of the earlier run (A)." };
        var after = new Argument<string>("after") { Description = "Result file of the later run (B)." };
        var command = new Command("compare",
            "What changed between two 'bench srbench' result files: rates, verdicts gained and lost per problem and seed, " +
            "equations that changed.")
        {
            before, after,
        };
        command.SetAction(parseResult =>
        {
            var a = ReadReport(parseResult.GetValue(before)!);
            var b = ReadReport(parseResult.GetValue(after)!);
            foreach (var line in SrBenchComparison.Lines(a, b)) output.WriteLine(line);
            return ExitCodes.Success;
        });
        return command;
    }

    private static SrBenchReport ReadReport(string path)
    {
        if (!File.Exists(path)) throw new CliError($"{path}: no such file");
        try
        {
            return SrBenchRunner.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new CliError(e.Message);
        }
    }

    private static List<long>? SeedList(string? text)
    {
        if (text is null) return null;
        var list = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            list.Add(long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
                ? s
                : throw new CliError($"--seeds: '{part}' is not a whole number"));
        if (list.Count == 0) throw new CliError("--seeds: give at least one seed (e.g. --seeds 1,2,3)");
        if (list.Distinct().Count() != list.Count) throw new CliError($"--seeds: a seed is repeated in '{text}'");
        return list;
    }

    /// <summary>The command line as a reader would retype it: 'discovery' and the parsed tokens, quoted where needed.</summary>
    private static string CommandLine(ParseResult parseResult) =>
        string.Join(' ', new[] { "discovery" }.Concat(parseResult.Tokens.Select(t => t.Value)
            .Select(a => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./,:=+".Contains(c)) ? a : $"'{a.Replace("'", "'\\''")}'")));
}
