using System.Reflection;
using System.Runtime.InteropServices;

namespace Discovery.Benchmarks;

/// <summary>
/// Where a benchmark figure came from: the command that made it, the commit and version of the tool, when, and on what
/// machine. Written into every committed result file so a reader can rerun the command and compare.
/// </summary>
public sealed record Provenance(string Command, string Commit, string ToolVersion, DateTimeOffset Date, string Machine, int Cores, string Os)
{
    /// <summary>The provenance of this process: <paramref name="command"/> is the command line as the user typed it.</summary>
    public static Provenance Current(string command)
    {
        var informational = typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        // The SDK appends "+<commit>" to the informational version when it builds from a git checkout.
        var plus = informational.IndexOf('+');
        var commit = plus >= 0 ? informational[(plus + 1)..] : "unknown";
        var version = plus >= 0 ? informational[..plus] : informational;
        return new Provenance(command, commit, version, DateTimeOffset.UtcNow, CpuModel(), Environment.ProcessorCount,
            RuntimeInformation.OSDescription);
    }

    /// <summary>The processor's model name (Linux: /proc/cpuinfo), or the architecture where it cannot be read.</summary>
    public static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and >= 0)
                        return line[(colon + 1)..].Trim();
        }
        catch (IOException)
        {
            // Unreadable: fall through to the architecture.
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
