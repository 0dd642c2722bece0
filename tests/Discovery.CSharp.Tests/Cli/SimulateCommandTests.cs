using Discovery.Data;

namespace Discovery.Tests.Cli;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-simulate-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliBasicsTests.Run(args);

    [Fact]
    public void Simulate_lorenz_writes_the_standard_data_set()
    {
        var file = PathOf("lorenz.csv");
        var (code, output, error) = Run("simulate", "lorenz", "--t-end", "10", "--dt", "0.002", "-o", file);
        Assert.True(code == 0, error);
        Assert.Contains("5000 samples", output);
        var lines = File.ReadAllLines(file);
        Assert.Equal("t,x,y,z", lines[0]);
        Assert.Equal(5001, lines.Length);
        Assert.Equal("0,-8,8,27", lines[1]);
        Assert.StartsWith("0.002,", lines[2]);
        Assert.StartsWith("9.998,", lines[^1]);
        var data = TrajectoryCsv.Read(file);
        Assert.Equal(5000, data.TotalSamples);
        // Sample 500 is t = 1: the tight-tolerance reference state of the integrator tests.
        var trajectory = data.Trajectories[0];
        Assert.Equal(1.0, trajectory.Times[500], 1e-12);
        double[] reference = [9.057167838929, 14.558948991100, 18.415293946880];
        for (var i = 0; i < 3; i++) Assert.Equal(reference[i], trajectory.States[500, i], 1e-7);
    }

    [Fact]
    public void Simulate_refuses_to_overwrite_an_existing_file_unless_forced()
    {
        var file = PathOf("existing.csv");
        File.WriteAllText(file, "keep me");
        var (code, _, error) = Run("simulate", "hopf", "--t-end", "1", "-o", file);
        Assert.Equal(2, code);
        Assert.Contains("--force", error);
        Assert.Equal("keep me", File.ReadAllText(file));

        (code, _, error) = Run("simulate", "hopf", "--t-end", "1", "-o", file, "--force");
        Assert.True(code == 0, error);
        Assert.StartsWith("t,x,y", File.ReadAllText(file));
    }

    [Fact]
    public void Several_noisy_trajectories_get_a_trajectory_column_and_the_seed_makes_them_repeatable()
    {
        string[] common = ["simulate", "van-der-pol", "--t-end", "2", "--dt", "0.1", "--trajectories", "3", "--noise", "0.01", "--seed", "5"];
        var (code, _, error) = Run([.. common, "-o", PathOf("a.csv")]);
        Assert.True(code == 0, error);
        Run([.. common, "-o", PathOf("b.csv")]);
        var lines = File.ReadAllLines(PathOf("a.csv"));
        Assert.Equal("t,x,y,trajectory", lines[0]);
        Assert.Equal(1 + 3 * 20, lines.Length);
        Assert.Equal(File.ReadAllText(PathOf("a.csv")), File.ReadAllText(PathOf("b.csv")));
        Assert.Equal(3, TrajectoryCsv.Read(PathOf("a.csv")).Trajectories.Count);
    }

    [Fact]
    public void Parameters_and_initial_state_can_be_given()
    {
        var file = PathOf("decay.csv");
        var (code, _, error) = Run("simulate", "harmonic-oscillator", "--param", "omega=2", "--x0=0,2", "--t-end", "1", "--dt", "0.25", "-o", file);
        Assert.True(code == 0, error);
        var data = TrajectoryCsv.Read(file);
        var trajectory = data.Trajectories[0];
        for (var k = 0; k < trajectory.Length; k++)
            Assert.Equal(Math.Sin(2 * trajectory.Times[k]), trajectory.States[k, 0], 1e-8);
    }

    [Fact]
    public void A_parquet_output_path_writes_parquet()
    {
        var file = PathOf("lorenz.parquet");
        var (code, _, error) = Run("simulate", "lorenz", "--t-end", "1", "-o", file);
        Assert.True(code == 0, error);
        var data = TrajectoryFiles.Read(file);
        Assert.Equal(["x", "y", "z"], data.StateNames);
        Assert.Equal(500, data.TotalSamples);
    }

    [Fact]
    public void Equations_given_as_text_can_be_simulated()
    {
        var file = PathOf("user.csv");
        var (code, _, error) = Run("simulate", "u' = -k*u", "--param", "k=0.5", "--x0", "4", "--t-end", "2", "--dt", "0.5", "-o", file);
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(file);
        Assert.Equal("t,u", lines[0]);
        Assert.Equal(4 * Math.Exp(-0.75), double.Parse(lines[^1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 1e-9);
    }

    [Theory]
    [InlineData("lorentz", "did you mean lorenz")]
    [InlineData("lorenz --param rh0=3", "no parameter 'rh0'")]
    [InlineData("lorenz --param rho", "name=value")]
    [InlineData("lorenz --x0 1,2", "3 states")]
    [InlineData("lorenz --trajectories 0", "at least 1")]
    [InlineData("lorenz --dt -1", "time step")]
    [InlineData("x'=y", "neither a state")]
    public void Mistakes_are_one_line_with_exit_code_2(string arguments, string expected)
    {
        var args = new List<string> { "simulate" };
        args.AddRange(arguments.Split(' '));
        args.AddRange(["-o", PathOf("never.csv")]);
        var (code, output, error) = Run([.. args]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(PathOf("never.csv")));
    }

    [Fact]
    public void Systems_lists_the_zoo_with_dimensions_and_parameters()
    {
        var (code, output, _) = Run("systems");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 32, $"{lines.Length} lines");
        Assert.Contains(lines, l => l.StartsWith("lorenz ", StringComparison.Ordinal) && l.Contains("  3  ") && l.Contains("sigma=10, rho=28, beta=2.66667"));
        Assert.Contains(lines, l => l.StartsWith("double-pendulum", StringComparison.Ordinal) && l.Contains("  4  "));
    }

    [Fact]
    public void Systems_shows_one_system_in_full()
    {
        var (code, output, _) = Run("systems", "lorenz96-6");
        Assert.Equal(0, code);
        Assert.Contains("x1' = (x2 - x5)*x6 - x1 + F", output);
        Assert.Contains("F=8", output);
        (code, output, _) = Run("systems", "lorenz");
        Assert.Contains("max Lyapunov", output);
        Assert.Equal(2, Run("systems", "nonsense").Code);
    }
}
