using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Discovery.Data;
using Discovery.Tests.Sindy;

namespace Discovery.Tests.Cli;

/// <summary>
/// SIGTERM (what schedulers and service managers send) stops a long command the way Ctrl+C does: it finishes the
/// current step, writes what it has with <c>"interrupted": true</c>, and exits with the cancelled code (130). The tool
/// runs as a child process; the signal is sent once it has reported progress, so no fixed sleep is involved.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-interrupt-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);

    private const int SigTerm = 15;

    /// <summary>Starts the tool, sends SIGTERM after the first stderr line that <paramref name="isProgress"/> accepts,
    /// and returns its exit code and standard error.</summary>
    private static (int Code, string Error) RunAndTerminate(Func<string, bool> isProgress, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "discovery.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = new System.Text.StringBuilder();
        var progressed = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (error) error.AppendLine(e.Data);
            if (isProgress(e.Data)) progressed.TrySetResult();
        };
        process.BeginErrorReadLine();
        var output = process.StandardOutput.ReadToEndAsync();
        try
        {
            if (!progressed.Task.Wait(TimeSpan.FromMinutes(3)))
                throw new TimeoutException($"no progress line within 3 minutes: {error}");
            Assert.Equal(0, SendSignal(process.Id, SigTerm));
            // Generous: the point is that it stops at all (and keeps its result), not how fast a loaded machine is.
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
                throw new TimeoutException($"still running 2 minutes after SIGTERM: {error}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        output.Wait();
        lock (error) return (process.ExitCode, error.ToString());
    }

    private static JsonElement Result(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "result.json"))).RootElement;

    [Fact]
    public void Sigterm_stops_sr_and_keeps_the_front()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // SIGTERM is a POSIX signal
        var data = PathOf("table.csv");
        // Noisy data: no equation fits exactly, so the search would run for its whole iteration budget.
        var noise = new Random(3);
        File.WriteAllLines(data, ["x,y", .. Enumerable.Range(0, 200).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{i * 0.03:R},{Math.Sin(i * 0.03) * Math.Exp(0.3 * i * 0.03) + 0.1 * noise.NextDouble():R}"))]);
        var out_ = PathOf("out");
        var (code, error) = RunAndTerminate(line => line.StartsWith("iteration ", StringComparison.Ordinal),
            "sr", data, "--iterations", "1000000", "--threads", "1", "--out", out_);
        Assert.True(code == 130, $"exit {code}: {error}");
        Assert.Contains("SIGTERM", error);
        var result = Result(out_);
        Assert.True(result.GetProperty("interrupted").GetBoolean());
        Assert.NotEqual(0, result.GetProperty("pareto").GetArrayLength());
    }

    [Fact]
    public void Sigterm_stops_sindy_during_refinement_and_keeps_its_equations()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var data = PathOf("lorenz.csv");
        TrajectoryCsv.Write(data, Noise.AddGaussian(SindyTestData.Lorenz, 0.05, seed: 1));
        var out_ = PathOf("out");
        var (code, error) = RunAndTerminate(line => line.StartsWith("refining ", StringComparison.Ordinal),
            "sindy", data, "--refine-seconds", "600", "--out", out_);
        Assert.True(code == 130, $"exit {code}: {error}");
        var result = Result(out_);
        Assert.True(result.GetProperty("interrupted").GetBoolean());
        Assert.Equal(3, result.GetProperty("equations").GetArrayLength());
    }
}
