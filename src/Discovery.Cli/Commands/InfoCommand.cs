using System.CommandLine;
using Discovery.Neural;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary><c>discovery info</c>: versions of the parts and whether the neural backend loads on this machine.</summary>
internal static class InfoCommand
{
    public static Command Build(TextWriter output)
    {
        var command = new Command("info", "Show versions and whether the TorchSharp backend loads on this machine.");
        command.SetAction(_ =>
        {
            output.WriteLine($"discovery      {typeof(InfoCommand).Assembly.GetName().Version?.ToString(3)}");
            output.WriteLine($"symbolic core  {CoreVersion.current}");
            output.WriteLine($".NET           {Environment.Version}");
            output.WriteLine(TorchRuntime.IsAvailable
                ? $"torch          loaded from {TorchRuntime.LoadedNativeLibraryPath() ?? "(path unknown)"}"
                : "torch          NOT available (neural learners disabled)");
            return ExitCodes.Success;
        });
        return command;
    }
}
