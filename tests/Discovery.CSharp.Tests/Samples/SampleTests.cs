using System.Diagnostics;

namespace Discovery.Tests.Samples;

/// <summary>The samples run as-is, in their quick mode, and find what they promise.</summary>
[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public class SampleTests
{
    [Fact]
    public void Feynman_regression_sample_finds_coulombs_law()
    {
        var output = new StringWriter();
        Assert.Equal(0, global::Samples.FeynmanRegression.Run(quick: true, output));
        Assert.Contains("the law", output.ToString());
    }

    [Fact]
    public void Lorenz_sindy_sample_finds_the_seven_terms_and_writes_the_report()
    {
        var folder = Directory.CreateTempSubdirectory("discovery-sample-").FullName;
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, global::Samples.LorenzSindy.Run(quick: true, folder, output));
            Assert.True(File.Exists(Path.Combine(folder, "report.html")));
            Assert.Contains("x' = ", output.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plrnn_sample_reconstructs_lorenz_or_rossler_in_quick_mode_and_writes_the_report(bool rossler)
    {
        var folder = Directory.CreateTempSubdirectory("discovery-plrnn-sample-").FullName;
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, global::Samples.PlrnnLorenz.Run(quick: true, rossler, folder, output));
            Assert.True(File.Exists(Path.Combine(folder, "report.html")));
            Assert.Contains(rossler ? "of 2 visited" : "of 4 visited", output.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Pinn_lotka_volterra_sample_completes_the_equations_and_writes_the_report()
    {
        var folder = Directory.CreateTempSubdirectory("discovery-sample-").FullName;
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, global::Samples.PinnLotkaVolterra.Run(quick: true, folder, output));
            Assert.True(File.Exists(Path.Combine(folder, "report.html")));
            Assert.Contains("h1(x, y) = ", output.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Feynman_fsharp_script_runs_in_quick_mode()
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet", ["fsi", "--quiet", Path.Combine("samples", "feynman.fsx"), "--quick"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        Assert.Contains("chosen: K = ", await stdout);
    }

    [Fact]
    public void Feynman_fsharp_script_references_the_core_of_the_last_build_in_any_configuration()
    {
        var root = RepositoryRoot();
        var references = File.ReadLines(Path.Combine(root, "samples", "feynman.fsx"))
            .Where(line => line.StartsWith("#r \"../", StringComparison.Ordinal)).ToArray();
        var reference = Assert.Single(references);
        Assert.Equal("#r \"../src/Symbolic.FSharp/bin/latest/Symbolic.FSharp.dll\"", reference);
        // The build copies the core there after every build of Symbolic.FSharp (build/LatestCoreForScripts.targets).
        Assert.True(File.Exists(Path.Combine(root, "src", "Symbolic.FSharp", "bin", "latest", "Symbolic.FSharp.dll")));
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Discovery.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Discovery.sln not found above " + AppContext.BaseDirectory);
    }
}
