namespace Discovery.Tests.Cli;

/// <summary><c>simplify</c>, <c>equivalent</c> and <c>derivative</c>: one line of output, exit codes, positioned errors.</summary>
public class SymbolicCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliBasicsTests.Run(args);

    [Theory]
    [InlineData("sin(x)^2 + cos(x)^2", "1")]
    [InlineData("exp(x)*exp(y)", "exp(x + y)")]
    [InlineData("log(exp(x)) - x", "0")]
    [InlineData("sqrt(x^2)", "abs(x)")]
    [InlineData("x*x/x^3", "1/x")]
    public void Simplify_prints_the_simplified_expression_on_one_line(string input, string expected)
    {
        var (code, output, error) = Run("simplify", input);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(expected + Environment.NewLine, output);
    }

    [Fact]
    public void Simplify_expands_and_collects_on_request()
    {
        Assert.Equal("2*x + x^2 + 1", Run("simplify", "--expand", "(x + 1)^2").Out.Trim());
        Assert.Equal("x*(y + 1) + x^2*(y + 2)", Run("simplify", "--collect", "x", "x*y + x + y*x^2 + 2*x^2").Out.Trim());
    }

    [Theory]
    [InlineData("sin(2*x)", "2*sin(x)*cos(x)", 0, "equivalent")]
    [InlineData("(x + 1)^2", "x^2 + 2*x + 1", 0, "equivalent")]
    [InlineData("x^2", "x^2 + 1e-6", 1, "not equivalent")]
    [InlineData("atan(x) + atan(1/x)", "pi/2", 1, "not equivalent")]
    public void Equivalent_prints_the_verdict_and_exits_0_or_1(string a, string b, int expectedCode, string expected)
    {
        var (code, output, error) = Run("equivalent", a, b);
        Assert.Equal(expectedCode, code);
        Assert.Equal("", error);
        Assert.Equal(expected + Environment.NewLine, output);
    }

    [Fact]
    public void Equivalent_explains_how_it_decided_on_request()
    {
        var lines = Run("equivalent", "--explain", "sin(x)^2 + cos(x)^2", "1").Out.Trim().Split('\n');
        Assert.Equal(["equivalent", "identical canonical forms"], lines.Select(l => l.Trim()));
        var numeric = Run("equivalent", "--explain", "sin(2*x)", "2*sin(x)*cos(x)").Out;
        Assert.Contains("numerically equal at 200 random points", numeric);
        var different = Run("equivalent", "--explain", "x^2", "x^2 + 1e-6").Out;
        Assert.Contains("different: at x = ", different);
    }

    [Fact]
    public void Derivative_prints_the_simplified_derivative()
    {
        Assert.Equal("x^x*(log(x) + 1)", Run("derivative", "x^x", "x").Out.Trim());
        Assert.Equal("-sin(x)", Run("derivative", "--order", "2", "sin(x)", "x").Out.Trim());
    }

    [Theory]
    [InlineData("simplify", "x +* y", "discovery: x +* y: line 1, column 4: expected a number, a name or '(', found '*'")]
    [InlineData("equivalent", "x^2 +", "discovery: x^2 +: line 1, column 6: expected a number, a name or '(', found end of input")]
    [InlineData("derivative", "sin(x", "discovery: sin(x: line 1, column 6: expected an operator, ',' or ')', found end of input")]
    public void Bad_expressions_are_one_positioned_line_with_exit_code_2(string command, string text, string expected)
    {
        var args = command switch
        {
            "equivalent" => new[] { command, "x", text },
            "derivative" => new[] { command, text, "x" },
            _ => new[] { command, text },
        };
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(expected, error.TrimEnd());
    }

    [Theory]
    [InlineData("simplify")]
    [InlineData("latex")]
    [InlineData("mathml")]
    [InlineData("sympy")]
    [InlineData("derivative")]
    [InlineData("equivalent")]
    public void Chains_too_deep_to_parse_are_one_positioned_line_not_a_stack_overflow(string command)
    {
        foreach (var chain in new[] { new string('-', 30000) + "x", string.Concat(Enumerable.Repeat("x^-", 10000)) + "x" })
        {
            var args = command switch
            {
                "equivalent" => new[] { command, "x", chain },
                "derivative" => new[] { command, chain, "x" },
                _ => new[] { command, chain },
            };
            var (code, output, error) = Run(args);
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Contains("expected at most 100 nested levels", error);
            Assert.Matches(@"line 1, column \d+", error);
            Assert.Single(error.TrimEnd().Split('\n'));
        }
    }

    [Fact]
    public void Derivative_by_something_other_than_a_name_is_an_error()
    {
        var (code, output, error) = Run("derivative", "x^2", "1+x");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal("discovery: expected a variable name (letters, digits and '_'), found '1+x'", error.TrimEnd());
    }

    [Fact]
    public void Derivative_that_outgrows_the_size_budget_is_an_error()
    {
        var (code, output, error) = Run("derivative", "--order", "16", "tan(tan(tan(x)))", "x");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("discovery: expected a derivative of at most 10000 nodes", error);
    }

    [Fact]
    public void Errors_show_terminal_escapes_escaped_and_long_input_shortened()
    {
        var (code, _, error) = Run("simplify", "x\u001b[31m");
        Assert.Equal(2, code);
        Assert.DoesNotContain('\u001b', error);
        Assert.Equal("discovery: x\\x1b[31m: line 1, column 2: expected an operator or end of input, found '\\x1b'", error.TrimEnd());
        var (longCode, _, longError) = Run("simplify", new string('x', 5000) + " +");
        Assert.Equal(2, longCode);
        Assert.True(longError.Length < 300, longError);
        Assert.Contains("(5002 characters): line 1, column 5003", longError);
    }
}
