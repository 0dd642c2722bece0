using System.CommandLine;

namespace Discovery.Cli.Commands;

/// <summary>Every subcommand of <c>discovery</c>, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(TextWriter output)
    {
        yield return InfoCommand.Build(output);
        yield return LatexCommand.Build(output);
        yield return MathmlCommand.Build(output);
        yield return SympyCommand.Build(output);
        yield return SimplifyCommand.Build(output);
        yield return EquivalentCommand.Build(output);
        yield return DerivativeCommand.Build(output);
        yield return SystemsCommand.Build(output);
        yield return SimulateCommand.Build(output);
        yield return DiscoverCommand.Build(output);
        yield return SrCommand.Build(output);
        yield return WorkerCommand.Build(output);
        yield return ReportCommand.Build(output);
        yield return ExportCommand.Build(output);
        yield return SindyCommand.Build(output);
        yield return PlrnnCommand.Build(output);
        yield return PinnCommand.Build(output);
        yield return BenchCommand.Build(output);
        yield return ProseCommand.Build(output);
    }
}
