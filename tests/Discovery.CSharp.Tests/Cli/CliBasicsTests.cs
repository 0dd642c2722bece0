using Discovery.Cli;

namespace Discovery.Tests.Cli;

/// <summary>The command line's contract: help lists commands, mistakes are one line with exit code 2.</summary>
public class CliBasicsTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = DiscoveryApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("info", output);
    }

    [Fact]
    public void Version_prints_a_version()
    {
        var (code, output, _) = Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("--no-such-option")]
    [InlineData("info", "--bogus", "3")]
    public void Unknown_commands_and_bad_options_are_one_line_with_exit_code_2(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("discovery: ", error);
        Assert.DoesNotContain("   at ", error);
    }
}
