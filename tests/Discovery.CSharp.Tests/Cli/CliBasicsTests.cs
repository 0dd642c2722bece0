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

/// <summary>Error messages echo what files and arguments hold; the terminal must get it as plain, short text.</summary>
public class ErrorTextTests
{
    [Fact]
    public void Ansi_escapes_and_binary_bytes_from_a_file_are_shown_escaped()
    {
        var path = Path.Combine(Path.GetTempPath(), $"discovery-escape-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "a\u001b[31mRED,y\n1,zz\u001b[0m\u0001\u202e\n2,3\n");
            var (code, _, error) = CliBasicsTests.Run("sr", path);
            Assert.Equal(2, code);
            Assert.DoesNotContain('\u001b', error);
            Assert.DoesNotContain('\u0001', error);
            Assert.DoesNotContain('\u202e', error);
            Assert.Contains(@"zz\x1b[0m\x01\u202e", error);
            Assert.Single(error.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Arguments_echoed_by_the_parser_are_escaped_and_shortened()
    {
        var (code, _, error) = CliBasicsTests.Run("sr", "data.csv", "--bogus\u001b[2J" + new string('x', 5000));
        Assert.Equal(2, code);
        Assert.DoesNotContain('\u001b', error);
        Assert.Contains(@"\x1b[2J", error);
        Assert.True(error.Length < ErrorText.MaxLength + 50, $"{error.Length} characters");
    }

    [Fact]
    public void A_long_message_keeps_its_start_and_its_reason_at_the_end()
    {
        var text = ErrorText.OneLine("start " + new string('-', 30000) + ": line 1, column 101: expected the reason");
        Assert.Equal(ErrorText.MaxLength + " ... ".Length, text.Length);
        Assert.StartsWith("start ---", text);
        Assert.EndsWith("--: line 1, column 101: expected the reason", text);
    }

    [Fact]
    public void A_message_becomes_one_line()
    {
        Assert.Equal("first second third", ErrorText.OneLine("first\r\nsecond\n\tthird"));
    }
}
