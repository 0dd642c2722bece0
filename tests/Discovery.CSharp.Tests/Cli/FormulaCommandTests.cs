namespace Discovery.Tests.Cli;

/// <summary><c>latex</c>, <c>mathml</c> and <c>sympy</c> reprint a formula; bad formulas are one positioned line, exit 2.</summary>
public class FormulaCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliBasicsTests.Run(args);

    [Fact]
    public void Latex_prints_the_formula_as_LaTeX()
    {
        var (code, output, error) = Run("latex", "exp(-theta**2/2)/sqrt(2*pi)");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(@"\frac{e^{-\frac{\theta^{2}}{2}}}{\sqrt{2 \pi}}", output.Trim());
    }

    [Fact]
    public void Mathml_prints_a_complete_math_element()
    {
        var (code, output, _) = Run("mathml", "x^2 - y");
        Assert.Equal(0, code);
        Assert.Equal(
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mrow><msup><mi>x</mi><mn>2</mn></msup><mo>&#x2212;</mo><mi>y</mi></mrow></math>",
            output.Trim());
        Assert.Equal("math", System.Xml.Linq.XDocument.Parse(output).Root!.Name.LocalName);
    }

    [Fact]
    public void Sympy_prints_equations_of_a_system()
    {
        var (code, output, _) = Run("sympy", "x' = -y; dy/dt = x");
        Assert.Equal(0, code);
        Assert.Equal("[Eq(Derivative(x, t), -y), Eq(Derivative(y, t), x)]", output.Trim());
    }

    [Fact]
    public void Digits_round_approximate_constants()
    {
        var (code, output, _) = Run("latex", "--digits", "3", "3.14159265*x");
        Assert.Equal(0, code);
        Assert.Equal("3.14 x", output.Trim());
    }

    [Theory]
    [InlineData("latex", "x + * y", "discovery: x + * y: line 1, column 5: expected a number, a name or '(', found '*'")]
    [InlineData("mathml", "sin(x, y)", "discovery: sin(x, y): line 1, column 1: expected 1 argument for sin, found 2")]
    [InlineData("sympy", "y = (x", "discovery: y = (x: line 1, column 7: expected an operator or ')', found end of input")]
    public void Bad_formulas_are_one_positioned_line_with_exit_code_2(string command, string formula, string expected)
    {
        var (code, output, error) = Run(command, formula);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(expected, error.TrimEnd());
    }

    [Fact]
    public void Digits_out_of_range_are_a_user_error()
    {
        var (code, _, error) = Run("latex", "--digits", "0", "x");
        Assert.Equal(2, code);
        Assert.StartsWith("discovery: --digits", error);
    }
}
