using System.Text.Json;
using Discovery.Data;
using Discovery.Results;
using Discovery.Tests.Sindy;

namespace Discovery.Tests.Cli;

public sealed class SindyCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-sindy-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliBasicsTests.Run(args);

    private string LorenzCsv(double noise = 0)
    {
        var file = PathOf(noise > 0 ? "lorenz-noisy.csv" : "lorenz.csv");
        if (!File.Exists(file)) TrajectoryCsv.Write(file, Noise.AddGaussian(SindyTestData.Lorenz, noise, seed: 1));
        return file;
    }

    [Fact]
    public void Sindy_prints_the_lorenz_equations_and_writes_result_json()
    {
        var out_ = PathOf("run");
        var (code, output, error) = Run("sindy", LorenzCsv(), "--out", out_);
        Assert.True(code == 0, error);
        Assert.Contains("x' = 10.0*y - 10.0*x", output);
        Assert.Contains("y' = 28.0*x - ", output);
        Assert.Contains("z' = 1.0*x*y - 2.66667*z", output);

        var resultPath = Path.Combine(out_, "result.json");
        var result = ResultJson.Read(resultPath);
        Assert.Equal("sindy", result.Method);
        Assert.Equal(["x'", "y'", "z'"], result.Equations.Select(e => e.Target));
        var y = result.Equations[1];
        Assert.Equal("28.0*x - 0.999999*y - 1.0*x*z", y.Expression);
        Assert.Contains("x z", y.Latex);
        Assert.True(y.Complexity > 0);
        Assert.Equal(["x", "y", "x*z"], y.Terms!.Select(t => t.Term));
        Assert.True(result.Metrics["r2"] > 0.999999);
        Assert.Equal(7, result.Metrics["complexity"]);
        Assert.Equal(ResultJson.Sha256Of(LorenzCsv()), result.Input!.Sha256);
        Assert.Equal(5000, result.Input.Rows);
        Assert.Equal(3, result.Pareto.Count(p => p.Chosen));
        Assert.Contains(result.Pareto, p => p.Target == "y'" && p.Chosen && p.Complexity == 3);
        Assert.Equal(3, result.Series.Count);
        Assert.True(result.Series[0].X.Length <= 500);
        Assert.Equal("sweep", result.Options["threshold"]);

        using var json = JsonDocument.Parse(File.ReadAllText(resultPath));
        Assert.Equal("sindy", json.RootElement.GetProperty("method").GetString());
        Assert.True(json.RootElement.GetProperty("metrics").GetProperty("r2").GetDouble() > 0.999);
    }

    [Fact]
    public void The_ensemble_reports_inclusion_probabilities_and_intervals_per_term()
    {
        var out_ = PathOf("ensemble");
        var (code, output, error) = Run("sindy", LorenzCsv(0.01), "--weak", "--optimizer", "ensemble", "--threshold", "0.5",
            "--models", "10", "--refine-seconds", "0", "--out", out_);
        Assert.True(code == 0, error);
        Assert.Contains("P(in) 1.00", output);
        var result = ResultJson.Read(Path.Combine(out_, "result.json"));
        var terms = result.Equations[2].Terms!;
        var xy = terms.Single(t => t.Term == "x*y");
        Assert.Equal(1.0, xy.InclusionProbability);
        Assert.True(xy.Low <= xy.Coefficient && xy.Coefficient <= xy.High);
        Assert.InRange(xy.Coefficient, 0.98, 1.02);
        Assert.Equal("ensemble", result.Options["optimizer"]);
    }

    [Fact]
    public void Libraries_differentiation_and_sr3_are_chosen_on_the_command_line()
    {
        var (code, output, error) = Run("sindy", LorenzCsv(), "--library", "poly:2+fourier:1", "--library", "custom:x/(1+x^2)",
            "--optimizer", "sr3", "--threshold", "0.5", "--diff", "sg:11", "--refine-seconds", "0");
        Assert.True(code == 0, error);
        Assert.Contains("x' = 10.0*y - 10.0*x", output);
        Assert.DoesNotContain("sin", output);
    }

    [Fact]
    public void Control_columns_are_inputs_without_equations()
    {
        var file = PathOf("forced.csv");
        var times = Enumerable.Range(0, 1000).Select(k => 0.01 * k).ToArray();
        var states = new double[times.Length, 2];
        for (var k = 0; k < times.Length; k++)
        {
            // x' = -x + u with u = sin(t): x = (sin t - cos t)/2 + 1.5 e^-t from x(0) = 1.
            states[k, 0] = 0.5 * (Math.Sin(times[k]) - Math.Cos(times[k])) + 1.5 * Math.Exp(-times[k]);
            states[k, 1] = Math.Sin(times[k]);
        }
        TrajectoryCsv.Write(file, new TrajectoryData(["x", "u"], new Trajectory(times, states)));
        var (code, output, error) = Run("sindy", file, "--controls", "u", "--threshold", "0.1", "--refine-seconds", "0");
        Assert.True(code == 0, error);
        Assert.Contains("x' = 1.0*u - 1.0*x", output);
        Assert.DoesNotContain("u' =", output);
    }

    [Fact]
    public void A_non_empty_output_folder_is_refused_unless_forced()
    {
        var out_ = PathOf("full");
        Directory.CreateDirectory(out_);
        File.WriteAllText(Path.Combine(out_, "keep.txt"), "keep me");
        var (code, _, error) = Run("sindy", LorenzCsv(), "--out", out_);
        Assert.Equal(2, code);
        Assert.Contains("--force", error);
        Assert.False(File.Exists(Path.Combine(out_, "result.json")));

        (code, _, error) = Run("sindy", LorenzCsv(), "--out", out_, "--force", "--threshold", "0.5");
        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(out_, "result.json")));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(out_, "keep.txt")));
        var result = ResultJson.Read(Path.Combine(out_, "result.json"));
        Assert.Equal("0.5", result.Options["threshold"]);
        Assert.Equal(3, result.Pareto.Count(p => p.Chosen));
    }

    [Theory]
    [InlineData("--library", "spline:3", "unknown kind")]
    [InlineData("--optimizer", "lasso", "--optimizer")]
    [InlineData("--diff", "magic", "--diff")]
    [InlineData("--controls", "w", "not a column")]
    [InlineData("--threshold", "-1", "--threshold")]
    public void Mistakes_are_one_line_with_exit_code_2(string option, string value, string expected)
    {
        var (code, output, error) = Run("sindy", LorenzCsv(), option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Bad_data_names_the_file_row_and_column()
    {
        var file = PathOf("bad.csv");
        File.WriteAllText(file, "t,x\n0,1\n0.1,oops\n");
        var (code, _, error) = Run("sindy", file);
        Assert.Equal(2, code);
        Assert.Contains("row 3", error);
        Assert.Contains("'x'", error);
        (code, _, error) = Run("sindy", PathOf("missing.csv"));
        Assert.Equal(2, code);
        Assert.Contains("no such file", error);
    }
}
