using System.CommandLine;
using Discovery.Cli.Commands;

namespace Discovery.Cli;

/// <summary>
/// Builds the <c>discovery</c> command tree and runs it with one error policy: user mistakes are one line on stderr and
/// exit code 2; nothing escapes as a stack trace.
/// </summary>
public static class DiscoveryApp
{
    /// <summary>The command tree. Each command lives in its own file under Commands/.</summary>
    public static RootCommand BuildRoot(TextWriter output)
    {
        var root = new RootCommand("Discovery: find the equations behind data.");
        foreach (var command in CommandCatalog.All(output))
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRoot(output);
        if (args.Length == 0) args = ["--help"];
        ParseResult parsed;
        try
        {
            parsed = root.Parse(args);
        }
        catch (Exception e)
        {
            error.WriteLine($"discovery: {ErrorText.OneLine(e.Message)}");
            return ExitCodes.UsageOrInput;
        }

        if (parsed.Errors.Count > 0)
        {
            // "Required command was not provided" accompanies an unknown word; the unknown word is the useful message.
            var specific = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal))
                           ?? parsed.Errors[0];
            error.WriteLine($"discovery: {ErrorText.OneLine(specific.Message)} (see 'discovery --help')");
            return ExitCodes.UsageOrInput;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return parsed.Invoke(configuration);
        }
        catch (CliError e)
        {
            error.WriteLine($"discovery: {ErrorText.OneLine(e.Message)}");
            return ExitCodes.UsageOrInput;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("discovery: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            error.WriteLine($"discovery: internal error ({e.GetType().Name}): {ErrorText.OneLine(e.Message)}");
            return ExitCodes.Internal;
        }
    }
}
