using System.Text.RegularExpressions;

namespace Discovery.Tests.Cli;

/// <summary><c>discovery bench eval</c>: prints its table and ends with the ratio line (speed is not tested here).</summary>
public class BenchCommandTests
{
    [Fact]
    public void Bench_eval_prints_a_row_per_expression_and_ends_with_the_ratio_line()
    {
        var (code, output, error) = CliBasicsTests.Run("bench", "eval", "--rows", "40", "--repeat", "1");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = output.TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches(new Regex(@"^vs-hand-loop: \d+\.\d\d vs-naive: \d+\.\d\d$"), lines[^1]);
        Assert.Contains(lines, l => l.StartsWith("exp(-x^2) ", StringComparison.Ordinal));
        Assert.True(lines.Length >= 20 + 3, "a header, at least 20 expressions, a total and the ratio line");
    }

    [Theory]
    [InlineData("--rows", "5")]
    [InlineData("--repeat", "0")]
    public void Bench_eval_refuses_settings_it_cannot_measure_with_one_line(string option, string value)
    {
        var (code, output, error) = CliBasicsTests.Run("bench", "eval", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("discovery: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("--example", "lotka-volterra", "--nu", "0.1")]
    [InlineData("--example", "burgers", "--nu", "0")]
    [InlineData("--example", "burgers", "--t-end", "-1")]
    [InlineData("--example", "burgers", "--collocation", "1")]
    public void Bench_pinn_refuses_a_set_up_it_cannot_run_with_one_line(string option, string example, string setting, string value)
    {
        var (code, output, error) = CliBasicsTests.Run("bench", "pinn", option, example, setting, value, "--points", "5", "--noise", "0");
        Assert.Equal(2, code);
        Assert.DoesNotContain("|", output);
        Assert.StartsWith("discovery: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
