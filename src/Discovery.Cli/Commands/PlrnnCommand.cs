using System.CommandLine;
using System.Globalization;
using Discovery.Data;
using Discovery.Neural;
using Discovery.Neural.Plrnn;
using Discovery.Results;
using Discovery.Systems;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery plrnn DATA.csv</c>: dynamical-systems reconstruction with a PLRNN, shallow PLRNN or AL-RNN trained by
/// teacher forcing; prints D_stsp, D_H and the prediction error on held-out data, the AL-RNN's visited subregions and the
/// ODE distilled from the model; with <c>--out DIR</c> writes <c>DIR/result.json</c> and the report.
/// </summary>
internal static class PlrnnCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("plrnn", "Reconstruct the dynamics behind time series with a PLRNN / shallow PLRNN / AL-RNN; symbolic codes and a distilled ODE.");
        var data = new Argument<string>("data") { Description = "CSV file: a time column, one column per observed variable, optionally a 'trajectory' column." };
        var time = new Option<string?>("--time") { Description = "Name of the time column (default: 't', else 'time')." };
        var model = new Option<string>("--model") { Description = "alrnn, shplrnn, shplrnn-clipped or plrnn.", DefaultValueFactory = _ => "alrnn" };
        var latent = new Option<int>("--latent") { Description = "M, latent units.", DefaultValueFactory = _ => 20 };
        var relu = new Option<int>("--relu") { Description = "P, piecewise-linear units of the AL-RNN.", DefaultValueFactory = _ => 2 };
        var hidden = new Option<int>("--hidden") { Description = "H, hidden width of the shallow PLRNN.", DefaultValueFactory = _ => 50 };
        var tf = new Option<string>("--tf") { Description = "Teacher forcing: sparse (every --tau steps) or gtf (generalised, alpha annealed).", DefaultValueFactory = _ => "sparse" };
        var tau = new Option<int>("--tau") { Description = "Interval of sparse teacher forcing.", DefaultValueFactory = _ => 16 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs (the authors' Lorenz run: 2000).", DefaultValueFactory = _ => 100 };
        var batches = new Option<int>("--batches") { Description = "Gradient steps per epoch.", DefaultValueFactory = _ => 50 };
        var batch = new Option<int>("--batch") { Description = "Sequences per batch.", DefaultValueFactory = _ => 16 };
        var sequence = new Option<int>("--sequence") { Description = "Sequence length.", DefaultValueFactory = _ => 200 };
        var lr = new Option<double>("--lr") { Description = "Start learning rate (RAdam).", DefaultValueFactory = _ => 1e-3 };
        var lrEnd = new Option<double>("--lr-end") { Description = "Learning rate after the last epoch.", DefaultValueFactory = _ => 1e-5 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Last share of each trajectory held out for the metrics.", DefaultValueFactory = _ => 0.2 };
        var generate = new Option<int>("--generate") { Description = "Free steps for the metrics (at most the held-out length).", DefaultValueFactory = _ => 10000 };
        var testFile = new Option<string?>("--test") { Description = "Separate held-out data (CSV like DATA, e.g. a noise-free trajectory) for the metrics; all of DATA is then trained on." };
        var truth = new Option<string?>("--truth") { Description = "Name of the zoo system that made the data, to compare the distilled ODE with." };
        var noDistil = new Option<bool>("--no-distil") { Description = "Skip the distillation into an ODE." };
        var backend = new Option<string>("--backend") { Description = "Gradients: auto (native C# for alrnn/plrnn, TorchSharp for shplrnn), native or torch.", DefaultValueFactory = _ => "auto" };
        var selectEvery = new Option<int>("--select-every") { Description = "Keep the model whose free run has the lowest D_stsp against the training data, checked every N epochs (0: keep the last model).", DefaultValueFactory = _ => 20 };
        var inputNoise = new Option<double>("--input-noise") { Description = "Gaussian noise (std in z-scored units) added to every training batch, as the authors' Julia code does for clean data (0.05 there); 0 for none.", DefaultValueFactory = _ => 0.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation and batches.", DefaultValueFactory = _ => 0 };
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "Write a checkpoint to FILE every 10 epochs and at the end (an existing file is replaced only if it is a PLRNN checkpoint, or with --force; never the data).",
        };
        var resume = new Option<string?>("--resume") { Description = "Continue training from the checkpoint FILE." };
        var outDir = new Option<string?>("--out") { Description = "Folder for result.json and the report (created; must be empty unless --force)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder; replace a --checkpoint file that is not a PLRNN checkpoint." };
        command.Arguments.Add(data);
        foreach (var option in new Option[]
                 {
                     time, model, latent, relu, hidden, tf, tau, epochs, batches, batch, sequence, lr, lrEnd, testFraction, testFile, generate, truth,
                     noDistil, backend, selectEvery, inputNoise, seed, checkpoint, resume, outDir, force,
                 })
            command.Options.Add(option);

        command.SetAction(parseResult =>
        {
            CheckLimits(parseResult, latent, hidden, epochs, batches, batch, sequence, generate);
            var path = parseResult.GetValue(data)!;
            CliInput.Check(path);
            var kind = parseResult.GetValue(model)!.Trim().ToLowerInvariant() switch
            {
                "alrnn" or "al-rnn" => PlrnnKind.AlRnn,
                "shplrnn" or "shallow" => PlrnnKind.ShallowPlrnn,
                "shplrnn-clipped" or "clipped" => PlrnnKind.ClippedShallowPlrnn,
                "plrnn" => PlrnnKind.Plrnn,
                var other => throw new CliError($"--model must be alrnn, shplrnn, shplrnn-clipped or plrnn, got '{other}'"),
            };
            var forcing = parseResult.GetValue(tf)!.Trim().ToLowerInvariant() switch
            {
                "sparse" or "stf" => ForcingKind.Sparse,
                "gtf" or "generalised" or "generalized" => ForcingKind.Generalised,
                var other => throw new CliError($"--tf must be sparse or gtf, got '{other}'"),
            };
            var backendChoice = parseResult.GetValue(backend)!.Trim().ToLowerInvariant() switch
            {
                "auto" => TrainingBackend.Auto,
                "native" when kind is PlrnnKind.AlRnn or PlrnnKind.Plrnn => TrainingBackend.Native,
                "native" => throw new CliError("--backend native trains alrnn and plrnn only; use torch or auto for the shallow PLRNN"),
                "torch" => TrainingBackend.Torch,
                var other => throw new CliError($"--backend must be auto, native or torch, got '{other}'"),
            };
            DynamicalSystem? truthSystem = null;
            if (parseResult.GetValue(truth) is { } truthName)
                truthSystem = SystemZoo.Find(truthName) ?? throw new CliError($"--truth: unknown system '{truthName}' (see 'discovery systems')");
            PlrnnCheckpoint? resumeFrom = null;
            if (parseResult.GetValue(resume) is { } resumePath)
            {
                if (!File.Exists(resumePath)) throw new CliError($"--resume: {resumePath}: no such file");
                try
                {
                    resumeFrom = PlrnnCheckpoint.Load(resumePath);
                }
                catch (InvalidDataException e)
                {
                    throw new CliError(e.Message);
                }
            }

            var trajectories = CliInput.Trajectories(path, parseResult.GetValue(time));
            TrajectoryData? heldOut = null;
            if (parseResult.GetValue(testFile) is { } testPath)
            {
                heldOut = CliInput.Trajectories(testPath, parseResult.GetValue(time));
                if (!heldOut.StateNames.SequenceEqual(trajectories.StateNames))
                    throw new CliError($"--test: {testPath} has the columns {string.Join(", ", heldOut.StateNames)}, the data {string.Join(", ", trajectories.StateNames)}");
            }
            if (truthSystem is not null && truthSystem.Dimension != trajectories.Dimension)
                throw new CliError($"--truth: {truthSystem.Name} has {truthSystem.Dimension} states, the data {trajectories.Dimension}");

            var options = new ReconstructionOptions(
                new PlrnnOptions(kind, parseResult.GetValue(latent), trajectories.Dimension, parseResult.GetValue(relu), parseResult.GetValue(hidden)),
                new TrainingOptions(
                    Epochs: parseResult.GetValue(epochs), BatchesPerEpoch: parseResult.GetValue(batches), BatchSize: parseResult.GetValue(batch),
                    SequenceLength: parseResult.GetValue(sequence), Forcing: forcing, ForcingInterval: parseResult.GetValue(tau),
                    StartLearningRate: parseResult.GetValue(lr), EndLearningRate: parseResult.GetValue(lrEnd), Seed: parseResult.GetValue(seed),
                    CheckpointPath: parseResult.GetValue(checkpoint) is { } checkpointPath
                        ? OutputFile.Check("--checkpoint", checkpointPath, parseResult.GetValue(force), PlrnnCheckpoint.IsCheckpoint, path, parseResult.GetValue(testFile))
                        : null,
                    Backend: backendChoice, SelectEvery: parseResult.GetValue(selectEvery),
                    InputNoise: parseResult.GetValue(inputNoise)),
                TestFraction: parseResult.GetValue(testFraction), GeneratedSteps: parseResult.GetValue(generate),
                Distil: !parseResult.GetValue(noDistil), Truth: truthSystem, TestData: heldOut);
            try
            {
                options.Model.Validate();
                options.Training.Validate();
                if (options.GeneratedSteps < 2) throw new ArgumentException($"--generate must be at least 2 (got {options.GeneratedSteps})");
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            if (!TorchRuntime.IsAvailable)
                throw new CliError("the neural backend (TorchSharp) does not load here; see 'discovery info'");
            var outPath = OutputFolder.Prepare(parseResult.GetValue(outDir), parseResult.GetValue(force));

            using var cancel = ConsoleCancellation.Create(Console.Error);
            var lastReport = DateTime.MinValue;
            var progress = new Progress(p =>
            {
                if (DateTime.UtcNow - lastReport < TimeSpan.FromSeconds(2) && p.Epoch != p.Epochs) return;
                lastReport = DateTime.UtcNow;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:G4}, lr {p.LearningRate:G3}{(forcing == ForcingKind.Generalised ? $", alpha {p.Alpha:F3}" : "")}, {p.Seconds:F0} s"));
            });
            ReconstructionResult run;
            try
            {
                run = PlrnnReconstruction.Run(trajectories, options, progress, cancel.Token, resumeFrom);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException)
            {
                throw new CliError(e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliError($"cannot write the checkpoint {options.Training.CheckpointPath}: {e.Message}");
            }

            Print(output, run, trajectories);
            if (outPath is not null)
            {
                var result = PlrnnReconstruction.ToResult(run, trajectories,
                    new InputInfo(Path.GetFullPath(path), ResultJson.Sha256Of(path), trajectories.TotalSamples,
                        new[] { trajectories.TimeName }.Concat(trajectories.StateNames).ToArray()),
                    OptionsOf(parseResult), parseResult.GetValue(seed));
                OutputFolder.WriteRun(output, outPath, result);
            }
            return run.Training.Interrupted ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The sizes that drive memory and time, checked before anything is read.</summary>
    private static void CheckLimits(ParseResult parseResult, Option<int> latent, Option<int> hidden, Option<int> epochs, Option<int> batches,
        Option<int> batch, Option<int> sequence, Option<int> generate)
    {
        OptionLimits.AtMost(parseResult, latent, OptionLimits.Latent);
        OptionLimits.AtMost(parseResult, hidden, OptionLimits.Width);
        OptionLimits.AtMost(parseResult, epochs, OptionLimits.Steps);
        OptionLimits.AtMost(parseResult, batches, OptionLimits.Steps);
        OptionLimits.AtMost(parseResult, batch, OptionLimits.Batch);
        OptionLimits.AtMost(parseResult, sequence, OptionLimits.Sequence);
        OptionLimits.AtMost(parseResult, generate, OptionLimits.Samples);
        var units = Math.Max(parseResult.GetValue(latent), parseResult.GetValue(hidden));
        OptionLimits.AtMost("--batch x --sequence x max(--latent, --hidden)",
            (long)Math.Max(0, parseResult.GetValue(batch)) * Math.Max(0, parseResult.GetValue(sequence)) * Math.Max(0, units), OptionLimits.BatchValues);
    }

    /// <summary>Prints the metrics, the symbolic codes and the distilled equations.</summary>
    private static void Print(TextWriter output, ReconstructionResult run, TrajectoryData data)
    {
        var t = run.Training;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"d_stsp: {run.StateSpaceDivergence:G4}{(run.GaussianMixture ? " (gmm)" : "")}  d_h: {run.PowerSpectrumError:G4}  pe: {run.PredictionError:G4}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {t.Epochs} epochs in {t.Seconds:F1} s ({t.StepsPerSecond:F1} steps/s), final loss {(t.Losses.Count > 0 ? t.Losses[^1] : double.NaN):G4}{(t.Interrupted ? ", interrupted" : "")}"));
        if (t.SelectedEpoch is { } chosen)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"model selected after epoch {chosen} (lowest D_stsp of the free run against the training data, {t.Selection.First(p => p.Epoch == chosen).Score:G4}, of {t.Selection.Count} checks)"));
        if (run.Symbolic is { } s)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"subregions visited: {s.Regions.Count} of {s.TotalRegions:G}"));
            foreach (var r in s.Regions) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Code}: {r.Count} steps ({r.Fraction:P1})"));
            output.WriteLine("transitions (from -> to: probability):");
            foreach (var tr in s.Transitions)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {tr.From} -> {tr.To}: {tr.Probability:F3} ({tr.Count})"));
            var names = Enumerable.Range(1, run.Subregions.FirstOrDefault()?.Offset.Length ?? 0)
                .Select(k => k <= data.Dimension ? $"z{k}_{data.StateNames[k - 1]}" : $"z{k}").ToArray();
            foreach (var region in run.Subregions)
            {
                output.WriteLine($"affine map in subregion {region.Code}:");
                foreach (var line in region.Equations(names, digits: 3)) output.WriteLine($"  {line}");
            }
        }
        if (run.Distillation is { } d)
        {
            output.WriteLine("distilled ODE:");
            output.Write(d.Model.Format(4));
            if (d.TruthError is { } e) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"vector-field error against the truth: {e:P2}"));
        }
        else if (run.DistillationProblem is { } p) output.WriteLine($"no ODE distilled: {p}");
    }

    private static Dictionary<string, string> OptionsOf(ParseResult parseResult)
    {
        var options = new Dictionary<string, string>();
        foreach (var name in new[] { "--model", "--tf", "--time", "--truth", "--backend", "--test" })
            if (parseResult.GetValue<string?>(name) is { } v) options[name.TrimStart('-')] = v;
        foreach (var name in new[] { "--latent", "--relu", "--hidden", "--tau", "--epochs", "--batches", "--batch", "--sequence", "--generate", "--select-every", "--seed" })
            options[name.TrimStart('-')] = parseResult.GetValue<int>(name).ToString(CultureInfo.InvariantCulture);
        foreach (var name in new[] { "--lr", "--lr-end", "--test-fraction", "--input-noise" })
            options[name.TrimStart('-')] = parseResult.GetValue<double>(name).ToString("R", CultureInfo.InvariantCulture);
        return options;
    }

    private sealed class Progress(Action<PlrnnProgress> report) : IProgress<PlrnnProgress>
    {
        public void Report(PlrnnProgress value) => report(value);
    }
}
