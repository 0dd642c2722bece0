using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Discovery.Data;
using Discovery.Differentiation;
using Discovery.Results;
using Discovery.SparseRegression;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery sindy DATA.csv</c>: sparse identification of the equations x' = f(x, u) behind trajectories. Prints the
/// equations and, with <c>--out DIR</c>, writes <c>DIR/result.json</c>. Without <c>--threshold</c> a threshold sweep
/// picks the model; equations that fit poorly are refined by the symbolic-regression search.
/// </summary>
internal static class SindyCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("sindy", "Find the equations x' = f(x, u) behind trajectories with sparse regression (SINDy).");
        var data = new Argument<string>("data") { Description = "CSV file: a time column, one column per variable, optionally a 'trajectory' column." };
        var time = new Option<string?>("--time") { Description = "Name of the time column (default: 't', else 'time')." };
        var trajectory = new Option<string?>("--trajectory-column") { Description = "Column that tells trajectories apart (default: 'trajectory' if present)." };
        var controls = new Option<string?>("--controls") { Description = "Comma-separated control inputs (SINDYc): used by the library, not modelled." };
        var library = new Option<string[]>("--library")
        {
            Description = "Library (repeatable; several are concatenated): poly:D[:nobias][:nocross], fourier:N, custom:\"e1;e2\", " +
                          "and '+' (concatenate) or '*' (tensor product) between poly and fourier parts. Default poly:2.",
            AllowMultipleArgumentsPerToken = false,
        };
        var optimizer = new Option<string>("--optimizer") { Description = "stlsq, sr3 (L0), sr3-l1 or ensemble (bagged STLSQ).", DefaultValueFactory = _ => "stlsq" };
        var threshold = new Option<double?>("--threshold") { Description = "Sparsity threshold; without it a threshold sweep picks one per equation." };
        var alpha = new Option<double>("--alpha") { Description = "Ridge weight of the STLSQ fits.", DefaultValueFactory = _ => 0.05 };
        var nu = new Option<double>("--nu") { Description = "SR3 relaxation.", DefaultValueFactory = _ => 1.0 };
        var trim = new Option<double>("--trim") { Description = "SR3: fraction of rows to leave out as outliers.", DefaultValueFactory = _ => 0.0 };
        var models = new Option<int>("--models") { Description = "Ensemble: number of models.", DefaultValueFactory = _ => 20 };
        var drop = new Option<int>("--drop") { Description = "Ensemble: library terms left out of each model.", DefaultValueFactory = _ => 0 };
        var diff = new Option<string>("--diff")
        {
            Description = "Differentiation: fd (2nd order), fd4, sg[:window], spectral, tv or spline. sg and spline also smooth the states.",
            DefaultValueFactory = _ => "fd4",
        };
        var weak = new Option<bool>("--weak") { Description = "Weak (integral) form: no pointwise derivatives; robust to noise." };
        var refineSeconds = new Option<double?>("--refine-seconds")
        {
            Description = "Refine every equation with the symbolic-regression search for N seconds each (0: never). " +
                          "Default: 5 s each, only for equations whose R² is below --refine-below.",
        };
        var refineBelow = new Option<double>("--refine-below") { Description = "Automatic refinement threshold on R².", DefaultValueFactory = _ => 0.999 };
        var unary = new Option<string?>("--unary") { Description = "Unary operators the refinement search may use, comma-separated (e.g. sin,exp)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the ensemble and the search.", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string?>("--out") { Description = "Folder for result.json (created; must be empty unless --force)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        command.Arguments.Add(data);
        foreach (var option in new Option[]
                 {
                     time, trajectory, controls, library, optimizer, threshold, alpha, nu, trim, models, drop, diff, weak, refineSeconds,
                     refineBelow, unary, seed, outDir, force,
                 })
            command.Options.Add(option);

        command.SetAction(parseResult =>
        {
            OptionLimits.Seconds(parseResult, refineSeconds);
            OptionLimits.AtMost(parseResult, models, OptionLimits.Count);
            var path = parseResult.GetValue(data)!;
            CliInput.Check(path);
            var outPath = OutputFolder.Prepare(parseResult.GetValue(outDir), parseResult.GetValue(force));

            var trajectories = CliInput.Trajectories(path, parseResult.GetValue(time), parseResult.GetValue(trajectory));
            var controlNames = SplitList(parseResult.GetValue(controls));
            foreach (var c in controlNames)
                if (trajectories.IndexOf(c) < 0)
                    throw new CliError($"--controls: '{c}' is not a column of {path} ({string.Join(", ", trajectories.StateNames)})");

            var thresholdValue = parseResult.GetValue(threshold);
            if (thresholdValue is { } tv && !(tv >= 0)) throw new CliError($"--threshold must be 0 or more, got {tv}");
            var sindy = new SparseRegression.Sindy(
                Optimizer(parseResult.GetValue(optimizer)!, thresholdValue ?? 0.1, parseResult.GetValue(alpha), parseResult.GetValue(nu),
                    parseResult.GetValue(trim), parseResult.GetValue(models), parseResult.GetValue(drop), parseResult.GetValue(seed)),
                Library(parseResult.GetValue(library) ?? []),
                Differentiation(parseResult.GetValue(diff)!),
                new SindyOptions(parseResult.GetValue(weak) ? new WeakFormOptions() : null));

            using var cancel = ConsoleCancellation.Create(Console.Error);
            var watch = Stopwatch.StartNew();
            FittedSindy model;
            ThresholdSweepResult? sweep = null;
            RefinementResult? refinement = null;
            try
            {
                CheckLibrarySize(sindy.Library, trajectories);
                var problem = sindy.Prepare(trajectories, controlNames);
                if (problem.Regression.Rows >= 20) sweep = ThresholdSweep.Run(sindy, problem, new SweepOptions());
                model = thresholdValue is null && sweep is not null ? sweep.Model : sindy.Fit(problem);
                if (thresholdValue is not null && sweep is not null)
                {
                    // The threshold was given: the front is still reported, with the models actually fitted marked.
                    var coefficients = model.Coefficients;
                    var states = model.StateNames.ToList();
                    double[] RowOf(string state) =>
                        Enumerable.Range(0, coefficients.GetLength(1)).Select(j => coefficients[states.IndexOf(state), j]).ToArray();
                    sweep = sweep with { Points = sweep.Points.Select(p => p with { Chosen = p.HasTermsOf(RowOf(p.State)) }).ToArray() };
                }
                var seconds = parseResult.GetValue(refineSeconds);
                // An interrupt before refinement keeps the SINDy model; one during refinement keeps what it found.
                if ((seconds is not { } s || s > 0) && !cancel.Token.IsCancellationRequested)
                {
                    var unaryOperators = SplitList(parseResult.GetValue(unary));
                    foreach (var op in unaryOperators)
                        if (Operators.tryFind(op) is null) throw new CliError($"--unary: unknown operator '{op}'");
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"refining {(seconds is null ? $"equations with R² below {parseResult.GetValue(refineBelow):G4}" : "every equation")} with the symbolic search, up to {seconds ?? 5:G4} s each"));
                    refinement = Refinement.Refine(model, trajectories, new RefinementOptions(
                        R2Threshold: parseResult.GetValue(refineBelow), Always: seconds is not null, Seconds: seconds ?? 5,
                        UnaryOperators: unaryOperators, Seed: parseResult.GetValue(seed)), cancel.Token);
                    model = refinement.Model;
                }
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            catch (Discovery.Integration.OdeIntegrationException e)
            {
                throw new CliError(e.Message);
            }
            var elapsed = watch.Elapsed.TotalSeconds;
            var interrupted = cancel.Token.IsCancellationRequested;

            output.Write(model.Format(6));
            var scores = model.TrainingR2;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"r2: {scores.Average():G6} ({string.Join(", ", model.StateNames.Select((n, i) => $"{n}' {scores[i]:G6}"))}{(model.IsWeakForm ? ", weak form" : "")}); {model.Complexity} terms; {elapsed:F2} s"));
            if (model.Ensemble is not null)
                for (var i = 0; i < model.StateNames.Count; i++)
                    foreach (var term in model.Terms(i))
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  {model.StateNames[i]}': {FeatureMatrix.NameOf(term.Feature),-12} {term.Coefficient,12:G6}  P(in) {term.InclusionProbability:F2}  [{term.Low:G4}, {term.High:G4}]"));

            if (outPath is not null)
            {
                var result = SindyResults.ToResult(new SindyRun(model, trajectories, sweep, refinement, elapsed,
                    new InputInfo(Path.GetFullPath(path), ResultJson.Sha256Of(path), trajectories.TotalSamples,
                        new[] { trajectories.TimeName }.Concat(trajectories.StateNames).ToArray()),
                    OptionsOf(parseResult, sindy), parseResult.GetValue(seed))) with { Interrupted = interrupted };
                OutputFolder.WriteRun(output, outPath, result);
            }
            return interrupted ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The library's matrix (terms x rows) is what SINDy holds and solves: checked before it is built.</summary>
    private static void CheckLibrarySize(FeatureLibrary library, TrajectoryData data)
    {
        var terms = library.Features(data.StateNames).Count;
        OptionLimits.AtMost($"--library terms ({library.Name})", terms, OptionLimits.LibraryTerms);
        OptionLimits.AtMost($"--library terms x rows ({terms} x {data.TotalSamples})", (long)terms * data.TotalSamples, DataLimits.MaxValues);
    }

    private static IReadOnlyList<string> SplitList(string? text) =>
        text is null ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static FeatureLibrary Library(string[] specs)
    {
        if (specs.Length == 0) return new PolynomialLibrary(2);
        try
        {
            var parts = specs.Select(FeatureLibrary.Parse).ToArray();
            return parts.Length == 1 ? parts[0] : new ConcatenatedLibrary(parts);
        }
        catch (FormatException e)
        {
            throw new CliError($"--library: {e.Message}");
        }
    }

    private static IDifferentiator Differentiation(string spec)
    {
        var pieces = spec.Split(':', 2, StringSplitOptions.TrimEntries);
        var name = pieces[0].ToLowerInvariant();
        if (pieces.Length == 2)
        {
            if (name is not ("sg" or "savgol") || !int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out var window) || window < 5 || window % 2 == 0)
                throw new CliError($"--diff: '{spec}' is not valid; only sg takes a window, an odd number of at least 5 (e.g. sg:21)");
            return new SavitzkyGolay(window, 3);
        }
        return Differentiators.ByName(name)
               ?? throw new CliError($"--diff: unknown method '{spec}' (fd, fd4, sg[:window], spectral, tv or spline)");
    }

    private static ISparseRegressor Optimizer(string name, double threshold, double alpha, double nu, double trim, int models, int drop, int seed)
    {
        try
        {
            return name.Trim().ToLowerInvariant() switch
            {
                "stlsq" => new Stlsq(new StlsqOptions(threshold, alpha)),
                "sr3" => new Sr3(new Sr3Options(threshold, nu, Sr3Penalty.L0, trim)),
                "sr3-l1" => new Sr3(new Sr3Options(threshold, nu, Sr3Penalty.L1, trim)),
                "ensemble" => new EnsembleOptimizer(new Stlsq(new StlsqOptions(threshold, alpha)), new EnsembleOptions(models, DropFeatures: drop, Seed: seed)),
                _ => throw new CliError($"--optimizer must be stlsq, sr3, sr3-l1 or ensemble, got '{name}'"),
            };
        }
        catch (ArgumentException e)
        {
            throw new CliError(e.Message);
        }
    }

    private static Dictionary<string, string> OptionsOf(ParseResult parseResult, SparseRegression.Sindy sindy)
    {
        var options = new Dictionary<string, string>(sindy.Optimizer.Settings)
        {
            ["library"] = string.Join(" ", parseResult.GetValue<string[]>("--library") is { Length: > 0 } l ? l : ["poly:2"]),
            ["diff"] = parseResult.GetValue<string>("--diff") ?? "fd4",
            ["weak"] = sindy.WeakForm is null ? "false" : "true",
            ["time"] = parseResult.GetValue<string?>("--time") ?? "auto",
        };
        if (parseResult.GetValue<double?>("--threshold") is null) options["threshold"] = "sweep";
        if (parseResult.GetValue<string?>("--controls") is { } c) options["controls"] = c;
        if (parseResult.GetValue<double?>("--refine-seconds") is { } r) options["refine_seconds"] = r.ToString("R", CultureInfo.InvariantCulture);
        return options;
    }
}
