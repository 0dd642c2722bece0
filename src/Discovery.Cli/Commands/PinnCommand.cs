using System.CommandLine;
using System.Globalization;
using Discovery.Data;
using Discovery.Neural.Pinn;
using Discovery.Results;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery pinn DATA.csv --equation "x' = 1.3*x + h1(x, y)" ...</c>: hidden-term discovery with a physics-informed
/// network. The unknown function calls are the hidden terms; they are learned by networks trained with a surrogate of the
/// data and distilled into expressions. Prints the completed equations and, with <c>--out DIR</c>, writes
/// <c>DIR/result.json</c> (with a <c>hidden</c> list) and the report.
/// </summary>
internal static class PinnCommand
{
    public static Command Build(TextWriter output)
    {
        var data = new Argument<string>("DATA") { Description = "CSV file: a time column and the measured states (for a PDE also a space column)." };
        var equations = new Option<string[]>("--equation")
        {
            Description = "An equation with hidden terms written as unknown function calls (repeatable), e.g. \"x' = 1.3*x + h1(x, y)\"; " +
                          "for a 1-D PDE \"u_t = 0.01/pi*u_xx + h1(u, u_x)\" (u_x, u_xx, ... are derivatives of the surrogate).",
            Required = true,
        };
        var time = new Option<string?>("--time") { Description = "Time column (default: 't', else 'time')." };
        var space = new Option<string?>("--space") { Description = "Space column of a PDE (default: 'x')." };
        var fit = new Option<string?>("--fit") { Description = "Constants of the known part to fit with the networks, comma-separated, each optionally name=start (default start 1)." };
        var epochs = new Option<int>("--epochs") { Description = "Adam steps of joint training.", DefaultValueFactory = _ => 3000 };
        var warmup = new Option<int>("--warmup") { Description = "Adam steps fitting the surrogate to the data alone first.", DefaultValueFactory = _ => 300 };
        var lbfgs = new Option<int>("--lbfgs") { Description = "L-BFGS iterations after Adam.", DefaultValueFactory = _ => 300 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam's starting learning rate.", DefaultValueFactory = _ => 0.01 };
        var width = new Option<int>("--width") { Description = "Units per layer of the surrogate.", DefaultValueFactory = _ => 32 };
        var depth = new Option<int>("--depth") { Description = "Hidden layers of the surrogate.", DefaultValueFactory = _ => 3 };
        var hiddenWidth = new Option<int>("--hidden-width") { Description = "Units per layer of each hidden-term network.", DefaultValueFactory = _ => 16 };
        var penalty = new Option<double>("--penalty") { Description = "L2 penalty on the hidden networks' weights (smoothness).", DefaultValueFactory = _ => 1e-4 };
        var collocation = new Option<int?>("--collocation") { Description = "Collocation points of the residual (default 256 for ODEs, 2000 for PDEs)." };
        var searchSeconds = new Option<double>("--search-seconds") { Description = "Symbolic-regression time per hidden term (0: polynomial sparse regression only).", DefaultValueFactory = _ => 10 };
        var degree = new Option<int>("--degree") { Description = "Degree of the polynomial sparse-regression attempt (0: search only).", DefaultValueFactory = _ => 3 };
        var operators = new Option<string>("--operators") { Description = "Operators of the distillation search.", DefaultValueFactory = _ => "+,-,*,/" };
        var seed = new Option<long>("--seed") { Description = "Seed of weights, collocation points and search.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "TorchSharp threads (1 is fastest for these small networks).", DefaultValueFactory = _ => 1 };
        var outDir = new Option<string?>("--out") { Description = "Folder for result.json, report.html and report.md (not written when omitted)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        var command = new Command("pinn",
            "Hidden-term discovery: a physics-informed network learns the unknown terms of a differential equation from sparse, noisy data; " +
            "each is distilled into an expression and the completed equations are solved again against the data.")
        {
            data, equations, time, space, fit, epochs, warmup, lbfgs, learningRate, width, depth, hiddenWidth, penalty, collocation, searchSeconds, degree,
            operators, seed, threads, outDir, force,
        };
        command.SetAction(parseResult =>
        {
            OptionLimits.Seconds(parseResult, searchSeconds);
            foreach (var (option, limit) in new[] { (epochs, OptionLimits.Steps), (warmup, OptionLimits.Steps), (lbfgs, OptionLimits.Steps),
                         (width, OptionLimits.Width), (depth, OptionLimits.Depth), (hiddenWidth, OptionLimits.Width), (degree, OptionLimits.Degree),
                         (threads, OptionLimits.Threads) })
                OptionLimits.AtMost(parseResult, option, limit);
            OptionLimits.AtMost(parseResult, collocation, OptionLimits.Collocation);
            var path = parseResult.GetValue(data)!;
            var table = CliInput.Table(path);
            var timeName = parseResult.GetValue(time)
                           ?? (table.Names.Contains("t") ? "t" : table.Names.Contains("time") ? "time"
                               : throw new CliError($"{path}: no time column 't' or 'time'; name it with --time (columns: {string.Join(", ", table.Names)})"));
            var fitNames = parseResult.GetValue(fit) is { } f ? new[] { f } : [];
            PinnProblem problem;
            PinnData pinnData;
            try
            {
                problem = PinnProblem.Parse(parseResult.GetValue(equations)!, table.Names, timeName, parseResult.GetValue(space), fitNames);
                pinnData = PinnData.FromTable(table, problem);
            }
            catch (ArgumentException e)
            {
                throw new CliError($"{path}: {e.Message}");
            }
            catch (DataFormatException e)
            {
                throw new CliError(e.Message);
            }
            var options = new PinnOptions(
                Epochs: parseResult.GetValue(epochs),
                WarmupEpochs: parseResult.GetValue(warmup),
                LbfgsIterations: parseResult.GetValue(lbfgs),
                LearningRate: parseResult.GetValue(learningRate),
                SurrogateWidth: parseResult.GetValue(width),
                SurrogateDepth: parseResult.GetValue(depth),
                HiddenWidth: parseResult.GetValue(hiddenWidth),
                HiddenPenalty: parseResult.GetValue(penalty),
                CollocationPoints: parseResult.GetValue(collocation) ?? (problem.Kind == PinnKind.Pde ? 2000 : 256),
                Seed: parseResult.GetValue(seed),
                Threads: parseResult.GetValue(threads),
                Distillation: new DistillationOptions(SearchSeconds: parseResult.GetValue(searchSeconds), PolynomialDegree: parseResult.GetValue(degree),
                    Operators: parseResult.GetValue(operators)!));
            try
            {
                options.Validate();
                Regression.OperatorNames.Parse(options.Distillation!.Operators);
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            var directory = OutputFolder.Prepare(parseResult.GetValue(outDir), parseResult.GetValue(force));

            using var cancel = ConsoleCancellation.Create(Console.Error);
            var lastReport = DateTime.MinValue;
            PinnResult result;
            try
            {
                result = HiddenTermPinn.Fit(problem, pinnData, options, p =>
                {
                    if (DateTime.UtcNow - lastReport < TimeSpan.FromSeconds(2) && p.Step != p.Steps) return;
                    lastReport = DateTime.UtcNow;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{p.Phase} {p.Step}/{p.Steps}: loss {p.Loss:G4} (data {p.DataLoss:G4}, residual {p.ResidualLoss:G4})"));
                }, cancel.Token);
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            catch (InvalidOperationException e) when (!Neural.TorchRuntime.IsAvailable)
            {
                throw new CliError(e.Message);
            }

            output.Write(result.Format());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"training {result.TrainingSeconds:F1} s ({result.Steps.Adam} Adam steps, {result.Steps.Lbfgs} L-BFGS iterations), distillation {result.DistillationSeconds:F1} s"));
            output.WriteLine(result.Verification.R2 is { } r2
                ? string.Create(CultureInfo.InvariantCulture, $"solved again: R² {string.Join(", ", r2.Select(p => $"{p.Key} {p.Value:F4}"))}")
                : result.Verification.Description);
            if (directory is not null)
            {
                var input = new InputInfo(Path.GetFullPath(path), ResultJson.Sha256Of(path), table.Rows, table.Names.ToList());
                OutputFolder.WriteRun(output, directory, result.ToDiscoveryResult(input, OptionsOf(parseResult, problem, options)));
            }
            return result.Interrupted ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, string> OptionsOf(ParseResult parseResult, PinnProblem problem, PinnOptions options)
    {
        var g = CultureInfo.InvariantCulture;
        var result = new Dictionary<string, string>
        {
            ["equation"] = string.Join("; ", problem.Text),
            ["time"] = problem.Time,
            ["epochs"] = options.Epochs.ToString(g),
            ["warmup"] = options.WarmupEpochs.ToString(g),
            ["lbfgs"] = options.LbfgsIterations.ToString(g),
            ["learning_rate"] = options.LearningRate.ToString("R", g),
            ["width"] = options.SurrogateWidth.ToString(g),
            ["depth"] = options.SurrogateDepth.ToString(g),
            ["hidden_width"] = options.HiddenWidth.ToString(g),
            ["penalty"] = options.HiddenPenalty.ToString("R", g),
            ["collocation"] = options.CollocationPoints.ToString(g),
            ["search_seconds"] = options.Distillation!.SearchSeconds.ToString("R", g),
            ["degree"] = options.Distillation.PolynomialDegree.ToString(g),
            ["operators"] = options.Distillation.Operators,
        };
        if (problem.Space is { } x) result["space"] = x;
        if (parseResult.GetValue<string?>("--fit") is { } fit) result["fit"] = fit;
        return result;
    }
}
