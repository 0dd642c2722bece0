using Discovery.Exports;
using Discovery.Results;
using Discovery.Tests.Cli;
using Symbolic;
using static TorchSharp.torch;

namespace Discovery.Tests.Exports;

/// <summary>Exports: text forms, a compiled delegate, a TorchSharp module with trainable constants, and the CLI.</summary>
[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public sealed class EquationExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("discovery-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EquationResult Equation(string target, string rhs) =>
        EquationForms.Of(target, Algebra.Parse(rhs), complexity: 5);

    [Fact]
    public void Compiled_delegate_matches_the_expression()
    {
        var (f, variables) = EquationExport.Compile(Equation("y'", "x*(28 - z) - y"));
        Assert.Equal(["x", "y", "z"], variables);
        Assert.Equal(1.5 * (28 - 2.0) - 0.5, f([1.5, 0.5, 2.0]), 12);
    }

    [Fact]
    public void Torch_module_computes_the_expression_and_its_constants_train()
    {
        using var scope = NewDisposeScope();
        var module = EquationExport.ToTorchModule(Equation("y", "1.5*sin(x) + exp(-0.5*x^2)"));
        Assert.Equal(["c0", "c1"], module.ConstantNames.Order());
        var xs = linspace(-2, 2, 50, dtype: ScalarType.Float64);
        var input = xs.unsqueeze(1);
        var expected = xs.sin() * 1.5 + (xs.pow(2) * -0.5).exp();
        Assert.True(module.forward(input).allclose(expected, rtol: 1e-12, atol: 1e-12));

        // Fit the constants to data made with 2.0 and -0.25: the loss must fall under plain gradient descent.
        var target = xs.sin() * 2.0 + (xs.pow(2) * -0.25).exp();
        var optimizer = optim.Adam(module.parameters(), lr: 0.05);
        double first = double.NaN, last = double.NaN;
        for (var step = 0; step < 200; step++)
        {
            optimizer.zero_grad();
            var loss = (module.forward(input) - target).pow(2).mean();
            loss.backward();
            optimizer.step();
            last = loss.item<double>();
            if (step == 0) first = last;
        }
        Assert.True(last < first * 1e-3, $"loss {first} -> {last}");
    }

    [Fact]
    public void Placeholders_cannot_become_modules()
    {
        Assert.Throws<NotSupportedException>(() => new Discovery.Neural.ExpressionModule(Algebra.Parse("h1(x) + x"), ["x"]));
    }

    [Theory]
    [InlineData("latex", @"\frac{dx}{dt} = ")]
    [InlineData("sympy", "Eq(Derivative(x(t), t), ")]
    [InlineData("csharp", "Func<double, double, double> dx_dt = (x, y) => ")]
    public void Cli_prints_each_equation_in_the_asked_form(string format, string expectedStart)
    {
        ResultJson.Write(_dir, new DiscoveryResult { Method = "sindy", Equations = [Equation("x'", "10*(y - x)")] });
        var (code, output, error) = CliBasicsTests.Run("export", Path.Combine(_dir, "result.json"), "--to", format);
        Assert.True(code == 0, error);
        Assert.StartsWith(expectedStart, output);
    }

    [Fact]
    public void Cli_rejects_missing_files_and_unknown_forms()
    {
        var (code, _, error) = CliBasicsTests.Run("export", Path.Combine(_dir, "none.json"), "--to", "latex");
        Assert.Equal(2, code);
        Assert.Contains("none.json", error);
        var (code2, _, _) = CliBasicsTests.Run("export", Path.Combine(_dir, "none.json"), "--to", "fortran");
        Assert.Equal(2, code2);
    }
}
