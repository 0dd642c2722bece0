using System.CommandLine;
using System.Globalization;
using Discovery.Data;
using Discovery.Pipeline;
using Discovery.Regression;
using Discovery.Reports;
using Discovery.Results;
using Spectre.Console;
using Symbolic.Search;

namespace Discovery.Cli.Commands;

/// <summary>
/// <c>discovery discover [DATA.csv]</c>: the main job. A table gets symbolic regression; trajectories get derivatives,
/// SINDy and refinement by the search; no file runs the built-in problem (Lorenz with 1% noise). Writes result.json,
/// report.html and report.md, and prints where the report is.
/// </summary>
internal static class DiscoverCommand
{
    public static Command Build(TextWriter output)
    {
        var data = new Argument<string?>("DATA") { Description = "CSV file (a table, or trajectories with a time column). Omit it to run the built-in Lorenz problem.", Arity = ArgumentArity.ZeroOrOne };
        var method = new Option<string>("--method") { Description = "auto (by the data), sr (symbolic regression) or sindy.", DefaultValueFactory = _ => "auto" };
        method.AcceptOnlyFromAmong("auto", "sr", "sindy");
        var target = new Option<string?>("--target") { Description = "Table column to explain (default: the last column)." };
        var time = new Option<string?>("--time") { Description = "Time column of trajectories (default: t or time)." };
        var seconds = new Option<double>("--seconds") { Description = "Time budget of each symbolic search.", DefaultValueFactory = _ => 30 };
        var operators = new Option<string>("--operators") { Description = "Operators of the symbolic search.", DefaultValueFactory = _ => "+,-,*,/,sin,cos,exp,log,sqrt" };
        var seed = new Option<long>("--seed") { Description = "Seed of every random choice; the same seed gives the same equations.", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string?>("--out") { Description = "Output folder (default: a new folder under discovery-out/)." };
        var force = new Option<bool>("--force") { Description = "Write into --out even if it holds files." };
        var command = new Command("discover", "The main job: find the equations behind a data file (or the built-in Lorenz problem) and write a report.")
        {
            data, method, target, time, seconds, operators, seed, outDir, force,
        };
        command.SetAction(parseResult =>
        {
            OptionLimits.Seconds(parseResult, seconds);
            var options = new DiscoverOptions(
                Method: parseResult.GetValue(method)!,
                Target: parseResult.GetValue(target),
                TimeColumn: parseResult.GetValue(time),
                Seconds: parseResult.GetValue(seconds),
                Operators: parseResult.GetValue(operators)!,
                Seed: parseResult.GetValue(seed));
            if (options.Seconds <= 0) throw new CliError($"--seconds must be positive (got {options.Seconds})");
            var path = parseResult.GetValue(data);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            // The data is read before the output folder is made: a bad file leaves nothing behind.
            var loaded = path is null ? null : UserErrors(path, () => Load(path, options));
            var requested = parseResult.GetValue(outDir) ?? DefaultFolder(path);
            var existed = Directory.Exists(requested);
            var directory = OutputFolder.Prepare(requested, parseResult.GetValue(force))!;
            using var cancel = ConsoleCancellation.Create(Console.Error);
            DiscoveryResult result;
            try
            {
                result = UserErrors(path, () => loaded is null
                    ? RunDefault(console, options, cancel.Token)
                    : RunFile(console, loaded, options, cancel.Token));
            }
            catch (CliError) when (!existed && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                // The folder was made for this run and nothing was written: a failed analysis leaves nothing behind.
                Directory.Delete(directory);
                throw;
            }
            var files = ReportWriter.WriteRun(directory, result);
            foreach (var e in result.Equations) console.MarkupLineInterpolated($"[bold]{e.Target}[/] = {e.Expression}");
            console.MarkupLineInterpolated($"report: {files.Html}");
            return result.Interrupted ? ExitCodes.Cancelled : ExitCodes.Success;
        });
        return command;
    }

    private static string DefaultFolder(string? path)
    {
        var name = path is null ? "lorenz" : Path.GetFileNameWithoutExtension(path);
        return Path.Combine("discovery-out", $"{name}-{DateTime.Now:yyyyMMdd-HHmmss}");
    }

    /// <summary>Runs <paramref name="work"/>, turning mistakes in the user's data or options into <see cref="CliError"/>.</summary>
    private static T UserErrors<T>(string? path, Func<T> work)
    {
        try
        {
            return CliInput.Read(path ?? "the data", work);
        }
        catch (ArgumentException e)
        {
            throw new CliError(e.Message);
        }
    }

    /// <summary>The data file, read as a table or as trajectories.</summary>
    private sealed record LoadedData(string Path, Data.Table? Table, string? Target, TrajectoryData? Trajectories);

    private static LoadedData Load(string path, DiscoverOptions options)
    {
        DataFile.Check(path);
        var kind = options.Method switch
        {
            "sr" => DataKind.Table,
            "sindy" => DataKind.Trajectories,
            _ => DataKinds.Detect(DataKinds.ReadHeader(path), options.TimeColumn),
        };
        if (kind == DataKind.Table)
        {
            var table = TableCsv.Read(path, minimumRows: 2);
            var target = options.Target ?? table.Names[^1];
            if (!table.Names.Contains(target))
                throw new CliError($"{path}: --target '{target}' is not a column (columns: {string.Join(", ", table.Names)})");
            return new LoadedData(path, table, target, null);
        }
        return new LoadedData(path, null, null, TrajectoryFiles.Read(path, new CsvReadOptions(TimeColumn: options.TimeColumn)));
    }

    private static DiscoveryResult RunFile(IAnsiConsole console, LoadedData loaded, DiscoverOptions options, CancellationToken cancel)
    {
        var path = loaded.Path;
        if (loaded is { Table: { } table, Target: { } target })
        {
            var input = new InputInfo(Path.GetFullPath(path), ResultJson.Sha256Of(path), table.Rows, table.Names.ToList());
            return Search(console, $"symbolic regression of {target}", progress =>
                TableRegression.Run(table, new TableRegressionOptions(target, Operators: options.Operators, Seconds: options.Seconds,
                    Seed: options.Seed), input, progress, cancel));
        }
        var trajectories = loaded.Trajectories!;
        var info = new InputInfo(Path.GetFullPath(path), ResultJson.Sha256Of(path), trajectories.TotalSamples,
            [trajectories.TimeName, .. trajectories.StateNames]);
        return Dynamics(console, trajectories, info, options, cancel);
    }

    private static DiscoveryResult RunDefault(IAnsiConsole console, DiscoverOptions options, CancellationToken cancel)
    {
        TrajectoryData data = null!;
        console.Status().Start(Markup.Escape("Simulating the Lorenz system (dt 0.002, t in [0, 10), 1% noise)..."), _ =>
            data = DefaultProblem.Lorenz(options.Seed));
        console.MarkupLine("Built-in problem: [bold]Lorenz[/] (sigma 10, rho 28, beta 8/3) from (-8, 8, 27), 5000 samples, 1% noise.");
        return Dynamics(console, data, null, options with { Method = "sindy" }, cancel, DefaultProblem.Description);
    }

    private static DiscoveryResult Dynamics(IAnsiConsole console, TrajectoryData data, InputInfo? input, DiscoverOptions options,
        CancellationToken cancel, string? description = null)
    {
        DiscoveryResult result = null!;
        console.Progress().AutoClear(false).Start(ctx =>
        {
            var task = ctx.AddTask("Derivatives, sparse regression (SINDy) and refinement");
            result = DynamicsDiscovery.Run(data, options, input, (phase, fraction) =>
            {
                task.Description = Markup.Escape(phase);
                task.Value = 100 * fraction;
            }, cancel, description);
            task.Value = 100;
        });
        return result;
    }

    /// <summary>Runs a symbolic search with a live table of its Pareto front.</summary>
    private static DiscoveryResult Search(IAnsiConsole console, string title, Func<Action<SearchProgress>, DiscoveryResult> run)
    {
        var table = new Spectre.Console.Table().Title(Markup.Escape(title)).AddColumn("complexity").AddColumn("loss").AddColumn("equation");
        DiscoveryResult result = null!;
        console.Live(table).AutoClear(false).Start(ctx =>
        {
            var last = DateTime.MinValue;
            result = run(p =>
            {
                if (DateTime.UtcNow - last < TimeSpan.FromMilliseconds(500)) return;
                last = DateTime.UtcNow;
                table.Rows.Clear();
                foreach (var e in p.Front)
                    table.AddRow(e.Complexity.ToString(CultureInfo.InvariantCulture), e.Loss.ToString("G4", CultureInfo.InvariantCulture),
                        Markup.Escape(Symbolic.Print.infixWith(Symbolic.Print.withDigits(5), e.Expression)));
                table.Caption(string.Create(CultureInfo.InvariantCulture,
                    $"iteration {p.Iteration}, {p.Evaluations:N0} evaluations ({p.EvaluationsPerSecond:N0}/s), {p.Elapsed.TotalSeconds:F0} s"));
                ctx.Refresh();
            });
            table.Rows.Clear();
            foreach (var p in result.Pareto)
                table.AddRow((p.Chosen ? "* " : "") + p.Complexity.ToString(CultureInfo.InvariantCulture),
                    p.Loss.ToString("G4", CultureInfo.InvariantCulture), Markup.Escape(p.Expression));
            ctx.Refresh();
        });
        return result;
    }
}
