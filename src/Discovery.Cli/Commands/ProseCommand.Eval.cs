using System.CommandLine;
using System.Globalization;
using Discovery.Data;
using Discovery.Neural.Prose;
using Discovery.Results;

namespace Discovery.Cli.Commands;

internal static partial class ProseCommand
{
    private static Command BuildEval(TextWriter output)
    {
        var command = new Command("eval", "Score a PROSE model on held-out instances of its training families: valid expressions, right terms, continuation error.");
        var model = new Option<string?>("--model") { Description = "Model folder (default: the shipped models/prose-small)." };
        var perFamily = new Option<int>("--per-family") { Description = "Instances per family.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the held-out instances (training streams never use the evaluation draw).", DefaultValueFactory = _ => 12345 };
        var guess = new Option<bool>("--guess") { Description = "Give each instance a noisy guess of its equations as symbol input." };
        var beam = new Option<int>("--beam") { Description = "Beam width (1: greedy); 4, as predict uses.", DefaultValueFactory = _ => 4 };
        var free = new Option<bool>("--unconstrained") { Description = "Decode without the grammar mask (measures how often the network alone writes valid expressions)." };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0: TorchSharp's default).", DefaultValueFactory = _ => 1 };
        var outDir = new Option<string?>("--out") { Description = "Folder for result.json (created; must be empty unless --force)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        foreach (var option in new Option[] { model, perFamily, seed, guess, beam, free, threads, outDir, force }) command.Options.Add(option);

        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(perFamily) < 1) throw new CliError("--per-family must be at least 1");
            OptionLimits.AtMost(parseResult, perFamily, OptionLimits.Count);
            OptionLimits.AtMost(parseResult, beam, OptionLimits.Beam);
            OptionLimits.AtMost(parseResult, threads, OptionLimits.Threads);
            if (parseResult.GetValue(beam) < 1) throw new CliError("--beam must be at least 1");
            var loaded = LoadPredictor(parseResult.GetValue(model));
            var predictor = new ProsePredictor(loaded.Model, loaded.Info) { Constrained = !parseResult.GetValue(free) };
            var outPath = OutputFolder.Prepare(parseResult.GetValue(outDir), parseResult.GetValue(force));
            if (parseResult.GetValue(threads) is > 0 and var n) Discovery.Neural.TorchRuntime.UseIntraOpThreads(n);
            using var cancel = ConsoleCancellation.Create(Console.Error);
            var report = ProseEvaluation.Run(predictor, parseResult.GetValue(perFamily), parseResult.GetValue(seed), parseResult.GetValue(guess),
                parseResult.GetValue(beam), message => Console.Error.WriteLine(message), cancel.Token);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"family",-22} {"n",4} {"valid",6} {"terms",6} {"decoded",7} {"err 1st",8} {"err 2nd",8} {"refit 1st",9} {"refit 2nd",9}"));
            foreach (var s in report.Families.Append(report.Overall))
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Family,-22} {s.Instances,4} {s.Valid,6:P0} {s.RightTerms,6:P0} {s.DecodedRightTerms,7:P0} {s.FirstHalfError,8:G3} {s.SecondHalfError,8:G3} {s.RefitFirstHalfError,9:G3} {s.RefitSecondHalfError,9:G3}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{report.Overall.Instances} held-out instances ({(report.WithGuess ? "with noisy guesses" : "no guess")}, beam {report.Beam}, {(predictor.Constrained ? "grammar-constrained" : "unconstrained")} decoding) in {report.Seconds:F0} s; errors are medians of the relative L2 error per half of the output window"));
            if (outPath is not null)
            {
                var o = report.Overall;
                var result = new DiscoveryResult
                {
                    Method = "prose-eval",
                    Seed = parseResult.GetValue(seed),
                    Metrics = new Dictionary<string, double>
                    {
                        ["instances"] = o.Instances, ["valid"] = o.Valid, ["right_terms"] = o.RightTerms, ["decoded_right_terms"] = o.DecodedRightTerms,
                        ["relative_l2_first_half"] = o.FirstHalfError, ["relative_l2_second_half"] = o.SecondHalfError,
                        ["refit_relative_l2_first_half"] = o.RefitFirstHalfError, ["refit_relative_l2_second_half"] = o.RefitSecondHalfError,
                        ["seconds"] = report.Seconds,
                        ["constrained"] = predictor.Constrained ? 1 : 0,
                    },
                    Extra = new Dictionary<string, object?> { ["families"] = report.Families },
                    Interrupted = cancel.Token.IsCancellationRequested,
                };
                ResultJson.Write(outPath, result);
                output.WriteLine($"wrote {Path.Combine(outPath, "result.json")}");
            }
            return cancel.Token.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildSample(TextWriter output)
    {
        var command = new Command("sample", "Write one instance of a family as the generator draws it (192 points on [0, 6]) to a CSV, e.g. for 'prose predict'.");
        var family = new Argument<string>("family") { Description = "Zoo name, e.g. lorenz." };
        var seed = new Option<int>("--seed") { Description = "Seed of the parameters (within ±10%) and the initial state.", DefaultValueFactory = _ => 1 };
        var outFile = new Option<string>("--out") { Description = "CSV file to write.", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file." };
        command.Arguments.Add(family);
        foreach (var option in new Option[] { seed, outFile, force }) command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            var name = parseResult.GetValue(family)!;
            ProseDataGenerator generator;
            try
            {
                generator = new ProseDataGenerator(new ProseDataOptions([name]));
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            var sample = generator.Sample(name, parseResult.GetValue(seed))
                         ?? throw new CliError($"{name}: every draw blew up; try another seed");
            var path = parseResult.GetValue(outFile)!;
            if (string.IsNullOrWhiteSpace(path)) throw new CliError("--out: the path is empty");
            if (Directory.Exists(path)) throw new CliError($"--out {path}: is a folder, expected a file");
            if (File.Exists(path) && !parseResult.GetValue(force)) throw new CliError($"{path} exists; use --force to overwrite");
            var system = Discovery.Systems.SystemZoo.Get(name);
            var data = new TrajectoryData(system.StateNames, new Trajectory(sample.Times, sample.States));
            try
            {
                TrajectoryCsv.Write(path, data, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliError($"cannot write {path}: {e.Message}");
            }
            output.WriteLine($"{system.Name}: {string.Join("; ", sample.Equations.Select(Symbolic.Print.infix))}");
            output.WriteLine($"wrote {path} ({sample.Times.Length} points; the first {generator.Options.ObservedPoints} are what PROSE observes)");
            return ExitCodes.Success;
        });
        return command;
    }
}
