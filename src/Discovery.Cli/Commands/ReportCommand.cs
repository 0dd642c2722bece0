using System.CommandLine;
using Discovery.Reports;
using Discovery.Results;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery report DIR</c>: renders <c>DIR/report.html</c>, <c>DIR/report.md</c> and the figure SVGs again from
/// <c>DIR/result.json</c>, replacing the report files an earlier run wrote; prints the path of the HTML report. Files of
/// those names that Discovery did not write are kept unless <c>--force</c>.
/// </summary>
internal static class ReportCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("report",
            "Render report.html and report.md (with plot-*.svg figures) again from DIR/result.json. Overwrites the report " +
            "files in DIR that Discovery wrote before; never changes result.json.");
        var directory = new Argument<string>("dir") { Description = "The folder of a run, holding result.json." };
        var force = new Option<bool>("--force")
        {
            Description = "Also overwrite a report.html or report.md in DIR that Discovery did not write.",
        };
        command.Arguments.Add(directory);
        command.Options.Add(force);
        command.SetAction(parseResult =>
        {
            var dir = parseResult.GetValue(directory)!;
            if (!Directory.Exists(dir))
                throw new CliError(File.Exists(dir) ? $"{dir} is a file; give the folder that holds result.json" : $"{dir}: no such folder");
            var resultPath = Path.Combine(dir, "result.json");
            if (!File.Exists(resultPath))
                throw new CliError($"{dir} has no result.json (it is written by a discovery run)");

            DiscoveryResult result;
            try
            {
                result = ResultJson.Read(resultPath);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new CliError(e.Message);
            }

            if (!parseResult.GetValue(force))
                foreach (var name in new[] { ReportWriter.HtmlFileName, ReportWriter.MarkdownFileName })
                {
                    var path = Path.Combine(dir, name);
                    if (!ReportWriter.IsGeneratedReport(path))
                        throw new CliError($"{path} was not written by Discovery; refusing to overwrite it (pass --force to replace it)");
                }

            ReportFiles files;
            try
            {
                files = ReportWriter.WriteAll(dir, result);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliError($"cannot write the report into {dir}: {e.Message}");
            }
            output.WriteLine(files.Html);
            return ExitCodes.Success;
        });
        return command;
    }
}
