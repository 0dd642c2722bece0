using System.CommandLine;
using System.Globalization;
using Discovery.Neural.Prose;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery prose train|predict|eval|sample</c>: the PROSE multimodal transformer that reads a short observed
/// trajectory (and optionally a guess of the equations), predicts its continuation and writes its equations.
/// </summary>
internal static partial class ProseCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("prose", "PROSE transformer: from an observed trajectory, predict its continuation and write its equations.");
        command.Subcommands.Add(BuildTrain(output));
        command.Subcommands.Add(BuildPredict(output));
        command.Subcommands.Add(BuildEval(output));
        command.Subcommands.Add(BuildSample(output));
        return command;
    }

    private static Command BuildTrain(TextWriter output)
    {
        var command = new Command("train", "Train a PROSE model on trajectories streamed from the systems zoo (resumes from MODEL's checkpoint).");
        var families = new Option<string?>("--families") { Description = "Comma-separated zoo names (default: the 12 chaotic 3-D families)." };
        var steps = new Option<int>("--steps") { Description = "Optimisation steps in total.", DefaultValueFactory = _ => 2000 };
        var size = new Option<string>("--size") { Description = "small (CPU), paper (width 512, 8 heads) or tiny.", DefaultValueFactory = _ => "small" };
        var batch = new Option<int>("--batch") { Description = "Instances per step.", DefaultValueFactory = _ => 32 };
        var rate = new Option<double>("--lr") { Description = "Peak learning rate (Adam; warm-up then 1/sqrt decay).", DefaultValueFactory = _ => 1e-3 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps.", DefaultValueFactory = _ => 200 };
        var symbolWeight = new Option<double>("--symbol-weight") { Description = "Weight of the symbol loss against the data loss.", DefaultValueFactory = _ => 1.0 };
        var checkpoint = new Option<int>("--checkpoint-every") { Description = "Save the model every N steps.", DefaultValueFactory = _ => 200 };
        var threads = new Option<int>("--threads")
        {
            Description = "Torch CPU threads (default 1: on a shared or small machine more threads spin against each other; 0 keeps TorchSharp's default).",
            DefaultValueFactory = _ => 1,
        };
        var dataWeight = new Option<double>("--data-weight") { Description = "Weight of the data loss.", DefaultValueFactory = _ => 0.5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights and of the data stream.", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string>("--out") { Description = "Model folder (created; training resumes from a model already there; a folder of other files needs --force).", Required = true };
        var force = new Option<bool>("--force") { Description = "Train into a non-empty --out folder that holds no model." };
        foreach (var option in new Option[] { families, steps, size, batch, rate, warmup, dataWeight, symbolWeight, checkpoint, threads, seed, outDir, force })
            command.Options.Add(option);

        command.SetAction(parseResult =>
        {
            OptionLimits.AtMost(parseResult, steps, OptionLimits.Steps);
            OptionLimits.AtMost(parseResult, batch, OptionLimits.Batch);
            OptionLimits.AtMost(parseResult, threads, OptionLimits.Threads);
            ProseModelOptions modelOptions;
            ProseDataOptions dataOptions;
            ProseTrainingOptions trainingOptions;
            try
            {
                modelOptions = ProseModelOptions.BySize(parseResult.GetValue(size)!);
                dataOptions = new ProseDataOptions(ParseFamilies(parseResult.GetValue(families)));
                dataOptions.Validate();
                trainingOptions = new ProseTrainingOptions(parseResult.GetValue(steps), parseResult.GetValue(batch), parseResult.GetValue(rate),
                    parseResult.GetValue(warmup), DataWeight: parseResult.GetValue(dataWeight), SymbolWeight: parseResult.GetValue(symbolWeight), Seed: parseResult.GetValue(seed),
                    CheckpointEvery: parseResult.GetValue(checkpoint));
                trainingOptions.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            var folder = parseResult.GetValue(outDir)!;
            if (string.IsNullOrWhiteSpace(folder)) throw new CliError("--out: the path is empty");
            if (File.Exists(folder)) throw new CliError($"{folder} is a file; --out names a model folder");
            // The model folder is the checkpoint: resumed when it holds one, but nobody else's files are written over.
            if (Directory.Exists(folder) && !ProseModelFile.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !parseResult.GetValue(force))
                throw new CliError($"--out {folder}: the folder holds files but no PROSE model; refusing to write into it (pass --force to train there)");
            if (parseResult.GetValue(threads) is > 0 and var n) Discovery.Neural.TorchRuntime.UseIntraOpThreads(n);

            using var cancel = ConsoleCancellation.Create(Console.Error);
            output.WriteLine($"training PROSE ({parseResult.GetValue(size)}) on {dataOptions.FamilyNames.Count} families for {trainingOptions.Steps} steps into {folder}");
            ProseTrainingResult result;
            try
            {
                result = ProseTrainer.Train(folder, modelOptions, dataOptions, trainingOptions, p =>
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4} (data {p.DataLoss:F4}, symbols {p.SymbolLoss:F4})  lr {p.LearningRate:E2}  {p.SamplesPerSecond:F1} samples/s  {p.Seconds:F0} s")),
                    cancel.Token);
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            catch (InvalidDataException e)
            {
                throw new CliError(e.Message);
            }
            if (result.ResumedFrom > 0) output.WriteLine($"resumed from step {result.ResumedFrom}");
            output.WriteLine(result.Cancelled
                ? $"stopped at step {result.Info.Steps}; the model so far is saved in {folder} (run again to resume)"
                : $"done: {result.Info.Steps} steps, {result.Info.Samples} instances, {result.Info.Seconds:F0} s; model saved in {folder}");
            return result.Cancelled ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    private static IReadOnlyList<string>? ParseFamilies(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
