using System.CommandLine;
using System.Globalization;
using Discovery.Systems;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery systems [NAME]</c>: lists the zoo of dynamical systems (name, dimension, parameters), or shows one
/// system in full (equations, parameters, initial state, time step, period and Lyapunov exponent where known).
/// </summary>
internal static class SystemsCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("systems", "List the zoo of dynamical systems, or show one of them in full.");
        var name = new Argument<string?>("name")
        {
            Description = "A system to show in full (e.g. lorenz, lorenz96-8).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        command.Arguments.Add(name);
        command.SetAction(parseResult =>
        {
            var wanted = parseResult.GetValue(name);
            if (wanted is null) List(output);
            else Show(SimulateCommand.Resolve(wanted), output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void List(TextWriter output)
    {
        var systems = SystemZoo.All;
        var width = Math.Max(4, systems.Max(s => s.Name.Length));
        output.WriteLine($"{"name".PadRight(width)}  dim  parameters");
        foreach (var system in systems)
            output.WriteLine($"{system.Name.PadRight(width)}  {system.Dimension,3}  {Parameters(system)}");
        output.WriteLine($"{systems.Count} systems; 'discovery systems NAME' shows one in full, lorenz96-N gives Lorenz-96 in N dimensions.");
    }

    private static void Show(DynamicalSystem system, TextWriter output)
    {
        output.WriteLine($"{system.Name}: {system.Description}");
        foreach (var line in system.EquationText.Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            output.WriteLine($"  {line}");
        output.WriteLine($"parameters     {Parameters(system)}");
        output.WriteLine($"states         {string.Join(", ", system.StateNames)}");
        output.WriteLine($"initial state  {string.Join(", ", system.InitialState.Select(Number))}");
        output.WriteLine($"time step      {Number(system.TimeStep)}");
        if (system.Period is { } period) output.WriteLine($"period         {period:G5}");
        if (system.LargestLyapunovExponent is { } lyapunov) output.WriteLine($"max Lyapunov   {lyapunov:G4}");
        if (system.IsStiff) output.WriteLine("stiff          yes (simulated with Rodas4)");
        if (system.Reference is { } reference) output.WriteLine($"reference      {reference}");
    }

    private static string Parameters(DynamicalSystem system) =>
        system.Parameters.Count == 0 ? "-" : string.Join(", ", system.Parameters.Select(p => $"{p.Name}={Number(p.Value)}"));

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
