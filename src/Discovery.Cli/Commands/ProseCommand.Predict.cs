using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Discovery.Data;
using Discovery.Neural.Prose;
using Discovery.Results;
using Symbolic;

namespace Discovery.Cli.Commands;

internal static partial class ProseCommand
{
    private static Command BuildPredict(TextWriter output)
    {
        var command = new Command("predict", "Predict the continuation of an observed trajectory and write its equations (the shipped small model by default).");
        var data = new Argument<string>("data") { Description = "CSV file: a time column and one column per state (the first trajectory is used)." };
        var model = new Option<string?>("--model") { Description = "Model folder (default: the shipped models/prose-small)." };
        var guess = new Option<string?>("--guess") { Description = "A guess of the equations as symbol input: one right-hand side per state in column order, separated by ';' (e.g. \"10*(y - x); x*(28 - z) - y; x*y - 8/3*z\")." };
        var beam = new Option<int>("--beam") { Description = "Beam width of the symbol decoder (1: greedy).", DefaultValueFactory = _ => 4 };
        var time = new Option<string?>("--time") { Description = "Name of the time column (default: 't', else 'time')." };
        var outDir = new Option<string?>("--out") { Description = "Folder for result.json and the report (created; must be empty unless --force)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        command.Arguments.Add(data);
        foreach (var option in new Option[] { model, guess, beam, time, outDir, force }) command.Options.Add(option);

        command.SetAction(parseResult =>
        {
            OptionLimits.AtMost(parseResult, beam, OptionLimits.Beam);
            var path = parseResult.GetValue(data)!;
            CliInput.Check(path);
            if (parseResult.GetValue(beam) < 1) throw new CliError("--beam must be at least 1");
            var trajectories = CliInput.Trajectories(path, parseResult.GetValue(time));
            var predictor = LoadPredictor(parseResult.GetValue(model));
            var outPath = OutputFolder.Prepare(parseResult.GetValue(outDir), parseResult.GetValue(force));
            var names = trajectories.StateNames;
            var info = predictor.Info;
            if (names.Count != info.Model.Dimension)
                throw new CliError($"{path}: the model reads {info.Model.Dimension} states but the file has {names.Count} ({string.Join(", ", names)})");
            var trajectory = trajectories.Trajectories[0];
            var (windowTimes, window, truth) = Resample(trajectory, predictor.TimeStep, info.ObservedPoints, info.PredictedPoints, path);
            var guessExprs = parseResult.GetValue(guess) is { } g ? ParseGuess(g, names) : null;

            var watch = Stopwatch.StartNew();
            ProsePrediction prediction;
            try
            {
                prediction = predictor.Predict(windowTimes, window, guessExprs, parseResult.GetValue(beam));
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            var seconds = watch.Elapsed.TotalSeconds;

            var metrics = new Dictionary<string, double>
            {
                ["parsed"] = prediction.Decoding.IsValid ? 1 : 0,
                ["components_match"] = prediction.Refitted is not null ? 1 : 0,
                ["seconds"] = seconds,
            };
            var half = info.PredictedPoints / 2;
            if (truth is not null)
            {
                metrics["relative_l2_first_half"] = ProseEvaluation.RelativeL2(prediction.Continuation, truth, 0, half);
                metrics["relative_l2_second_half"] = ProseEvaluation.RelativeL2(prediction.Continuation, truth, half, info.PredictedPoints);
                metrics["relative_l2"] = ProseEvaluation.RelativeL2(prediction.Continuation, truth, 0, info.PredictedPoints);
                if (prediction.RefitContinuation is { } rc)
                {
                    metrics["refit_relative_l2_first_half"] = ProseEvaluation.RelativeL2(rc, truth, 0, half);
                    metrics["refit_relative_l2_second_half"] = ProseEvaluation.RelativeL2(rc, truth, half, info.PredictedPoints);
                }
            }
            for (var i = 0; i < prediction.RefitR2.Length; i++)
                if (double.IsFinite(prediction.RefitR2[i])) metrics[$"refit_r2_{names[i]}"] = prediction.RefitR2[i];

            var decoded = prediction.Decoding.IsValid ? prediction.Decoding.Components.Select(c => Rename(c, names)).ToArray() : null;
            var refitted = prediction.Refitted?.Select(c => Rename(c, names)).ToArray();
            if (decoded is null)
                output.WriteLine($"decoded tokens do not parse: {prediction.Decoding.Error} (token {prediction.Decoding.Position})");
            else
            {
                output.WriteLine("decoded equations:");
                for (var i = 0; i < decoded.Length; i++) output.WriteLine($"  {(i < names.Count ? names[i] : $"#{i}")}' = {Print.infix(decoded[i])}");
            }
            if (refitted is not null)
            {
                output.WriteLine("refitted to the observed window:");
                for (var i = 0; i < refitted.Length; i++)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {names[i]}' = {Print.infix(refitted[i])}   (R² {prediction.RefitR2[i]:F4})"));
            }
            else if (decoded is not null)
                output.WriteLine($"not refitted: {decoded.Length} components for {names.Count} states");
            var span = string.Create(CultureInfo.InvariantCulture,
                $"continuation: {info.PredictedPoints} points from t = {prediction.QueryTimes[0]:G4} to {prediction.QueryTimes[^1]:G4}");
            output.WriteLine(span + (truth is null
                ? " (the file does not cover them: no error reported)"
                : string.Create(CultureInfo.InvariantCulture,
                    $"; relative L2 error {metrics["relative_l2_first_half"]:G3} (first half), {metrics["relative_l2_second_half"]:G3} (second half)")));

            if (outPath is not null)
            {
                var result = new DiscoveryResult
                {
                    Method = "prose",
                    Input = new InputInfo(Path.GetFullPath(path), ResultJson.Sha256Of(path), trajectories.TotalSamples,
                        new[] { trajectories.TimeName }.Concat(names).ToArray()),
                    Equations = (refitted ?? decoded ?? []).Select((e, i) =>
                        EquationForms.Of(i < names.Count ? $"{names[i]}'" : $"#{i}'", e, (int)ExprModule.size(e),
                            prediction.RefitR2.Length > i && double.IsFinite(prediction.RefitR2[i]) ? 1 - prediction.RefitR2[i] : null)).ToArray(),
                    Metrics = metrics,
                    Options = new Dictionary<string, string>
                    {
                        ["model"] = parseResult.GetValue(model) ?? "shipped",
                        ["beam"] = parseResult.GetValue(beam).ToString(CultureInfo.InvariantCulture),
                        ["guess"] = parseResult.GetValue(guess) ?? "",
                    },
                    Series = Series(names, windowTimes, window, prediction, truth),
                    Notes =
                    [
                        "The equations are the transformer's decoded structure with constants refitted by least squares to finite-difference derivatives of the observed window; the continuation is the data decoder's, not an integration.",
                        "Chaotic continuations diverge from the truth at the rate of the largest Lyapunov exponent, so the second half's error is expected to be larger.",
                    ],
                    Extra = new Dictionary<string, object?>
                    {
                        ["prediction"] = new Dictionary<string, object?>
                        {
                            ["times"] = prediction.QueryTimes,
                            ["states"] = names.Select((n, i) => (n, Column(prediction.Continuation, i))).ToDictionary(p => p.n, p => (object)p.Item2),
                        },
                        ["decoded"] = decoded?.Select(Print.infix).ToArray(),
                        ["tokens"] = string.Join(' ', prediction.Tokens),
                        ["decoding_error"] = prediction.Decoding.Error,
                        ["refit_prediction"] = prediction.RefitContinuation is { } r
                            ? names.Select((n, i) => (n, Column(r, i))).ToDictionary(p => p.n, p => (object)p.Item2)
                            : null,
                    },
                };
                OutputFolder.WriteRun(output, outPath, result);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static ProsePredictor LoadPredictor(string? folder)
    {
        var path = folder ?? ProseModelFile.FindShipped()
                   ?? throw new CliError("no shipped PROSE model found (models/prose-small); train one with 'discovery prose train --out DIR' and pass --model DIR");
        if (!Directory.Exists(path)) throw new CliError($"{path}: no such model folder");
        try
        {
            return ProsePredictor.Load(path);
        }
        catch (InvalidDataException e)
        {
            throw new CliError(e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw new CliError(e.Message);
        }
    }

    /// <summary>
    /// The observed window on the model's grid (linear interpolation from the file's first time), and the truth at the
    /// output times when the file covers them all.
    /// </summary>
    private static (double[] Times, double[,] Window, double[,]? Truth) Resample(Trajectory trajectory, double step, int observed, int predicted, string path)
    {
        var times = trajectory.Times;
        var t0 = times[0];
        var needed = t0 + (observed - 1) * step;
        if (times[^1] < needed - 1e-9)
            throw new CliError(string.Create(CultureInfo.InvariantCulture,
                $"{path}: the model observes {observed} points spaced {step:G4} apart ({(observed - 1) * step:G4} time units); the file covers only {times[^1] - t0:G4}"));
        var d = trajectory.Dimension;
        double[,] Sample(int from, int count)
        {
            var result = new double[count, d];
            var j = 0;
            for (var k = 0; k < count; k++)
            {
                var t = t0 + (from + k) * step;
                while (j < times.Length - 2 && times[j + 1] < t) j++;
                var w = Math.Clamp((t - times[j]) / (times[j + 1] - times[j]), 0, 1);
                for (var i = 0; i < d; i++) result[k, i] = trajectory.States[j, i] + w * (trajectory.States[j + 1, i] - trajectory.States[j, i]);
            }
            return result;
        }
        var windowTimes = Enumerable.Range(0, observed).Select(k => t0 + k * step).ToArray();
        var covered = times[^1] >= t0 + (observed + predicted - 1) * step - 1e-9;
        return (windowTimes, Sample(0, observed), covered ? Sample(observed, predicted) : null);
    }

    private static IReadOnlyList<Expr> ParseGuess(string text, IReadOnlyList<string> names)
    {
        var pieces = text.Split([';', '|', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (pieces.Length != names.Count)
            throw new CliError($"--guess: {pieces.Length} right-hand sides for {names.Count} states ({string.Join(", ", names)}); separate them with ';'");
        var result = new List<Expr>();
        foreach (var piece in pieces)
        {
            var rhs = piece.Contains('=') ? piece[(piece.IndexOf('=') + 1)..].Trim() : piece;
            if (!Algebra.TryParse(rhs, out var expr, out var error)) throw new CliError($"--guess: '{rhs}': {error}");
            foreach (var v in ExprModule.variables(expr))
                if (!names.Contains(v)) throw new CliError($"--guess: '{v}' is not a state ({string.Join(", ", names)})");
            for (var i = 0; i < names.Count; i++)
                expr = ExprModule.substitute(names[i], ExprModule.variable(ProseTokenizer.VariableName(i)), expr);
            result.Add(Algebra.Expand(ExprModule.bindParameters(expr)));
        }
        try
        {
            ProseTokenizer.Encode(result);
        }
        catch (ArgumentException e)
        {
            throw new CliError($"--guess: {e.Message}");
        }
        return result;
    }

    private static Expr Rename(Expr e, IReadOnlyList<string> names)
    {
        for (var i = 0; i < names.Count; i++) e = ExprModule.substitute(ProseTokenizer.VariableName(i), ExprModule.variable(names[i]), e);
        return e;
    }

    private static double[] Column(double[,] values, int i) => Enumerable.Range(0, values.GetLength(0)).Select(k => values[k, i]).ToArray();

    private static IReadOnlyList<SeriesResult> Series(IReadOnlyList<string> names, double[] windowTimes, double[,] window, ProsePrediction prediction, double[,]? truth)
    {
        var times = windowTimes.Concat(prediction.QueryTimes).ToArray();
        var series = new List<SeriesResult>();
        for (var i = 0; i < names.Count; i++)
        {
            var observedPart = Column(window, i);
            var nan = Enumerable.Repeat(double.NaN, prediction.QueryTimes.Length);
            var y = new Dictionary<string, double[]>
            {
                [$"{names[i]} data"] = observedPart.Concat(truth is null ? nan : Column(truth, i)).ToArray(),
                [$"{names[i]} PROSE"] = Enumerable.Repeat(double.NaN, windowTimes.Length).Concat(Column(prediction.Continuation, i)).ToArray(),
            };
            if (prediction.RefitContinuation is { } rc)
                y[$"{names[i]} refitted equations"] = Enumerable.Repeat(double.NaN, windowTimes.Length).Concat(Column(rc, i)).ToArray();
            series.Add(new SeriesResult { Title = $"{names[i]} over time", Kind = "time", XLabel = "t", YLabel = names[i], X = times, Y = y });
        }
        return series;
    }
}
