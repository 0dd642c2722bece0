using System.Diagnostics;
using System.Text.Json.Nodes;
using Discovery.Data;
using Discovery.Tests.Neural;

namespace Discovery.Tests.Cli;

/// <summary>
/// The same seed gives the same result in another process. One process cannot see what is salted per process (string
/// hashes, <see cref="HashCode"/>): the PLRNN trainer once seeded its batches with HashCode.Combine and drew other
/// batches in every run. These tests run the tool twice as child processes and compare what it wrote.
/// </summary>
public sealed class ReproducibilityTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-repro-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    /// <summary>Runs the discovery tool built beside the tests in a new process; its exit code and standard error.</summary>
    private static (int Code, string Error) RunTool(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "discovery.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("discovery " + string.Join(' ', args) + " ran over 3 minutes");
        }
        output.Wait();
        return (process.ExitCode, error.Result);
    }

    /// <summary>result.json without what differs between runs by nature: creation time and timings.</summary>
    private static string Comparable(string folder)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "result.json")))!.AsObject();
        json.Remove("created");
        Strip(json);
        return json.ToJsonString();

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var key in new[] { "seconds", "steps_per_second", "elapsed", "evaluations_per_second" }) o.Remove(key);
                    foreach (var (_, child) in o) Strip(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Strip(child);
                    break;
            }
        }
    }

    /// <summary>Runs the tool twice with the arguments <paramref name="args"/> gives for an output folder, and checks
    /// that both wrote the same result.json (which has <paramref name="field"/>).</summary>
    private void AssertSameResultTwice(Func<string, string[]> args, string field)
    {
        foreach (var folder in new[] { "a", "b" })
        {
            var (code, error) = RunTool(args(PathOf(folder)));
            Assert.True(code == 0, error);
        }
        var first = Comparable(PathOf("a"));
        Assert.Contains($"\"{field}\"", first);
        Assert.Equal(first, Comparable(PathOf("b")));
    }

    [Fact]
    public void Plrnn_training_with_a_seed_gives_the_same_losses_metrics_and_equations_in_another_process()
    {
        var data = PathOf("circle.csv");
        var x = PlrnnTests.Circle(600, dt: 0.05, noise: 0.05);
        TrajectoryCsv.Write(data, new TrajectoryData(["u", "v"], new Trajectory(Enumerable.Range(0, 600).Select(k => k * 0.05).ToArray(), x)));
        string[] Args(string folder) =>
            ["plrnn", data, "--latent", "5", "--relu", "2", "--epochs", "3", "--batches", "4", "--sequence", "20", "--generate", "200",
             "--seed", "5", "--out", folder];
        AssertSameResultTwice(Args, "losses");
    }

    [Fact]
    public void A_search_stopped_by_iterations_gives_the_same_front_in_another_process()
    {
        var data = PathOf("table.csv");
        var random = new Random(4);
        var lines = new List<string> { "x,z,y" };
        for (var r = 0; r < 200; r++)
        {
            var x = 3 * random.NextDouble();
            var z = 3 * random.NextDouble();
            lines.Add(FormattableString.Invariant($"{x},{z},{x * Math.Exp(-z) + Math.Sin(x)}"));
        }
        File.WriteAllLines(data, lines);
        string[] Args(string folder) =>
            ["sr", data, "--target", "y", "--operators", "+,-,*,/,sin,exp", "--iterations", "15", "--seed", "3", "--out", folder];
        AssertSameResultTwice(Args, "pareto");
    }
}
