using System.CommandLine;
using System.Globalization;
using Discovery.Data;
using Discovery.Integration;
using Discovery.Systems;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery simulate NAME -o FILE.csv</c>: integrates a zoo system (or equations given as text) and writes the
/// samples as CSV with columns <c>t,&lt;states&gt;</c> (plus <c>trajectory</c> for several trajectories). Refuses to
/// replace an existing file unless <c>--force</c>.
/// </summary>
internal static class SimulateCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("simulate", "Simulate a system of the zoo (or equations given as text) and write the samples as CSV.");
        var name = new Argument<string>("name")
        {
            Description = "A zoo system (see 'discovery systems'), or equations such as \"x' = -k*x; y' = x - y\".",
        };
        var timeEnd = new Option<double>("--t-end")
        {
            Description = "End time (exclusive: samples at 0, dt, 2dt, ... below it).",
            DefaultValueFactory = _ => 10.0,
        };
        var timeStep = new Option<double?>("--dt") { Description = "Sampling step (default: the system's recommended step)." };
        var initial = new Option<string?>("--x0") { Description = "Initial state, comma-separated, e.g. -8,8,27." };
        var parameters = new Option<string[]>("--param")
        {
            Description = "Parameter value name=value (repeatable), e.g. --param rho=15.",
            AllowMultipleArgumentsPerToken = true,
        };
        var noise = new Option<double>("--noise")
        {
            Description = "Gaussian noise level: std = level x RMS of each column (0.01 = 1%).",
            DefaultValueFactory = _ => 0.0,
        };
        var trajectories = new Option<int>("--trajectories")
        {
            Description = "Number of trajectories; the first starts at x0, the others at seeded perturbations of it.",
            DefaultValueFactory = _ => 1,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the perturbations and the noise.", DefaultValueFactory = _ => 0 };
        var solver = new Option<string>("--solver")
        {
            Description = "auto (Rodas4 for stiff systems, else Dormand-Prince), dp5, rodas or rk4.",
            DefaultValueFactory = _ => "auto",
        };
        var file = new Option<string>("--output", "-o") { Description = "The file to write: CSV, or Parquet when it ends in .parquet.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the output file if it exists." };
        command.Arguments.Add(name);
        foreach (var option in new Option[] { timeEnd, timeStep, initial, parameters, noise, trajectories, seed, solver, file, force })
            command.Options.Add(option);

        command.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(file)!;
            if (string.IsNullOrWhiteSpace(path)) throw new CliError("--output: the path is empty");
            if (Directory.Exists(path)) throw new CliError($"--output {path}: is a folder, expected a file");
            if (File.Exists(path) && !parseResult.GetValue(force))
                throw new CliError($"{path} exists; refusing to overwrite it (pass --force to replace it)");
            var overrides = ParseParameters(parseResult.GetValue(parameters) ?? []);
            var system = Resolve(parseResult.GetValue(name)!, overrides);
            var options = new SimulationOptions(
                TimeEnd: parseResult.GetValue(timeEnd),
                TimeStep: parseResult.GetValue(timeStep),
                InitialState: parseResult.GetValue(initial) is { } x0 ? ParseVector(x0, system) : null,
                Trajectories: parseResult.GetValue(trajectories),
                NoiseLevel: parseResult.GetValue(noise),
                Seed: parseResult.GetValue(seed),
                Solver: ParseSolver(parseResult.GetValue(solver) ?? "auto"));
            if (options.Trajectories < 1) throw new CliError($"--trajectories must be at least 1, got {options.Trajectories}");
            CheckSize(options, system);
            if (!(options.NoiseLevel >= 0)) throw new CliError($"--noise must be 0 or more, got {options.NoiseLevel}");

            TrajectoryData data;
            try
            {
                data = system.Simulate(options);
            }
            catch (ArgumentException e)
            {
                throw new CliError(e.Message);
            }
            catch (OdeIntegrationException e)
            {
                throw new CliError($"simulating {system.Name} failed: {e.Message}");
            }

            try
            {
                TrajectoryFiles.Write(path, data, overwrite: parseResult.GetValue(force));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliError($"cannot write {path}: {e.Message}");
            }
            var first = data.Trajectories[0];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {path}: {data.Trajectories.Count} trajector{(data.Trajectories.Count == 1 ? "y" : "ies")} of {first.Length} samples " +
                $"(t from {first.Times[0]:G6} to {first.Times[^1]:G6}), columns t,{string.Join(",", data.StateNames)}{(data.Trajectories.Count > 1 ? ",trajectory" : "")}"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The zoo system called <paramref name="nameOrEquations"/>, or, when the text contains '=', a system defined by those
    /// equations with the overrides as its parameters. User mistakes become <see cref="CliError"/>.
    /// </summary>
    public static DynamicalSystem Resolve(string nameOrEquations, IReadOnlyList<KeyValuePair<string, double>>? overrides = null)
    {
        overrides ??= [];
        try
        {
            if (nameOrEquations.Contains('='))
                return DynamicalSystem.FromText(nameOrEquations, overrides, name: "equations");
            var system = SystemZoo.Find(nameOrEquations)
                         ?? throw new CliError($"no system named '{nameOrEquations}'; did you mean {string.Join(" or ", SystemZoo.Suggestions(nameOrEquations))}? ('discovery systems' lists them)");
            return overrides.Count == 0 ? system : system.WithParameters(overrides);
        }
        catch (SystemDefinitionException e)
        {
            throw new CliError(e.Message);
        }
        catch (ArgumentException e)
        {
            throw new CliError(e.Message);
        }
    }

    /// <summary>The samples a simulation would hold, checked against the limits before any is computed.</summary>
    private static void CheckSize(SimulationOptions options, DynamicalSystem system)
    {
        OptionLimits.AtMost("--trajectories", options.Trajectories, OptionLimits.Trajectories);
        var dt = options.TimeStep ?? system.TimeStep;
        if (!(dt > 0) || !double.IsFinite(dt) || !double.IsFinite(options.TimeEnd)) return; // the simulation names these mistakes
        var samples = Math.Ceiling((options.TimeEnd - options.TimeStart) / dt);
        OptionLimits.AtMost("samples per trajectory (--t-end / --dt)", (long)Math.Min(samples, long.MaxValue / 2), OptionLimits.Samples);
        OptionLimits.AtMost("numbers written (--trajectories x samples x (states + 1))",
            options.Trajectories * (long)Math.Max(0, samples) * (system.Dimension + 1), OptionLimits.SimulationValues);
    }

    private static List<KeyValuePair<string, double>> ParseParameters(IEnumerable<string> items)
    {
        var result = new List<KeyValuePair<string, double>>();
        foreach (var item in items)
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
                throw new CliError($"--param expects name=value, got '{item}'");
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw new CliError($"--param {parts[0]}: expected a finite number, got '{parts[1]}'");
            result.Add(new(parts[0], value));
        }
        return result;
    }

    private static double[] ParseVector(string text, DynamicalSystem system)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new CliError($"--x0: value {i + 1} is not a finite number ('{parts[i]}')");
        if (values.Length != system.Dimension)
            throw new CliError($"--x0 has {values.Length} values but {system.Name} has {system.Dimension} states ({string.Join(", ", system.StateNames)})");
        return values;
    }

    private static SolverChoice ParseSolver(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => SolverChoice.Auto,
        "dp5" or "dopri5" or "dormand-prince" => SolverChoice.DormandPrince,
        "rodas" or "rodas4" or "stiff" => SolverChoice.Rodas,
        "rk4" => SolverChoice.RungeKutta4,
        _ => throw new CliError($"--solver must be auto, dp5, rodas or rk4, got '{text}'"),
    };
}
