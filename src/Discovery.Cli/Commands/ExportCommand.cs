using System.CommandLine;
using Discovery.Exports;
using Discovery.Results;

namespace Discovery.Cli.Commands;

/// <summary><c>discovery export RESULT.json --to latex|sympy|csharp</c>: the equations of a result in another form.</summary>
internal static class ExportCommand
{
    public static Command Build(TextWriter output)
    {
        var file = new Argument<string>("RESULT") { Description = "A result.json written by discover, sr or sindy (or its folder)." };
        var to = new Option<string>("--to") { Description = "latex, sympy or csharp (a Func declaration per equation).", Required = true };
        to.AcceptOnlyFromAmong("latex", "sympy", "csharp");
        var command = new Command("export", "Print the equations of a result as LaTeX, SymPy or C#.") { file, to };
        command.SetAction(parseResult =>
        {
            var path = parseResult.GetValue(file)!;
            if (Directory.Exists(path)) path = Path.Combine(path, "result.json");
            DiscoveryResult result;
            try
            {
                result = ResultJson.Read(path);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                throw new CliError(e.Message);
            }
            var format = parseResult.GetValue(to) switch
            {
                "latex" => ExportFormat.Latex,
                "sympy" => ExportFormat.Sympy,
                _ => ExportFormat.CSharp,
            };
            try
            {
                output.Write(EquationExport.Text(result, format));
            }
            catch (FormatException e)
            {
                throw new CliError($"{path}: an equation does not parse ({e.Message})");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
