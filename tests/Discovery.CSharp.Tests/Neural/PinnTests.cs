using Discovery.Neural.Pinn;
using Symbolic;

namespace Discovery.Tests.Neural;

/// <summary>The hidden-term PINN: parsing the problem, distillation, and small end-to-end runs.</summary>
[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public class PinnTests
{
    private static readonly string[] LvColumns = ["t", "x", "y"];

    [Fact]
    public void Ode_problem_finds_states_hidden_terms_and_fitted_constants()
    {
        var problem = PinnProblem.Parse(["x' = a*x + h1(x, y)", "y' = -1.8*y + h2(x, y)"], LvColumns, "t", fit: ["a=1.2"]);
        Assert.Equal(PinnKind.Ode, problem.Kind);
        Assert.Equal(["x", "y"], problem.States);
        Assert.Equal(["h1", "h2"], problem.Hidden.Select(h => h.Name));
        Assert.Equal(["x", "y"], problem.Hidden[0].ArgumentNames);
        Assert.Equal(1.2, problem.Parameters["a"]);
    }

    [Fact]
    public void Pde_problem_reads_derivative_names_of_the_field()
    {
        var problem = PinnProblem.Parse(["u_t = 0.01/pi*u_xx + h1(u, u_x)"], ["t", "x", "u"], "t");
        Assert.Equal(PinnKind.Pde, problem.Kind);
        Assert.Equal("x", problem.Space);
        Assert.Equal(("u", "xx"), problem.AsDerivative("u_xx"));
        Assert.Null(problem.AsDerivative("v_x"));
    }

    [Theory]
    [InlineData("z' = x + h1(x)", "'z', which is not a data column")]
    [InlineData("x' = q*x + h1(x)", "unknown variable 'q'")]
    [InlineData("x' = 1.3*x + h1(x", "equation")]
    public void Bad_problems_are_refused_with_the_reason(string equation, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => PinnProblem.Parse([equation], LvColumns, "t"));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_hidden_term_called_with_different_arguments_an_unused_fit_name_or_no_hidden_term_is_refused()
    {
        Assert.Contains("no hidden term", Assert.Throws<ArgumentException>(() =>
            PinnProblem.Parse(["x' = 1.3*x - 0.9*x*y", "y' = -1.8*y + 0.8*x*y"], LvColumns, "t")).Message);
        Assert.Contains("has no equation", Assert.Throws<ArgumentException>(() =>
            PinnProblem.Parse(["x' = 1.3*x + h1(x, y)"], LvColumns, "t")).Message);
        Assert.Contains("different arguments", Assert.Throws<ArgumentException>(() =>
            PinnProblem.Parse(["x' = h1(x, y)", "y' = h1(y, x)"], LvColumns, "t")).Message);
        Assert.Contains("'b'", Assert.Throws<ArgumentException>(() =>
            PinnProblem.Parse(["x' = h1(x, y)", "y' = -y + h2(x, y)"], LvColumns, "t", fit: ["b"])).Message);
    }

    [Fact]
    public void Distillation_recovers_a_product_term_from_samples_of_it()
    {
        var random = new Random(2);
        var x = Enumerable.Range(0, 200).Select(_ => 0.5 + 5 * random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 200).Select(_ => 0.5 + 4 * random.NextDouble()).ToArray();
        var values = x.Zip(y, (a, b) => -0.9 * a * b + 0.002 * Math.Sin(7 * a)).ToArray();
        var term = new HiddenTerm("h1", [ExprModule.variable("x"), ExprModule.variable("y")]);
        var distilled = Distillation.Distil(term, [x, y], values, new DistillationOptions(SearchSeconds: 0));
        var check = PinnRecovery.Check(distilled, new HiddenTruth("a*x*y", new Dictionary<string, double> { ["a"] = -0.9 }));
        Assert.True(check.ExactForm, $"distilled {Print.infix(distilled.Expression)}");
        Assert.True(check.CoefficientError < 0.01, $"coefficient error {check.CoefficientError}");
        Assert.Equal("sparse", distilled.Source);
    }

    [Fact]
    public void Recovery_check_tells_a_wrong_form_from_the_right_one()
    {
        var x = Enumerable.Range(1, 50).Select(i => i / 10.0).ToArray();
        var term = new HiddenTerm("h1", [ExprModule.variable("x")]);
        var truth = new HiddenTruth("a*x^2/(1 + b*x^2)", new Dictionary<string, double> { ["a"] = -1, ["b"] = 1 });
        DistilledTerm Of(string text) => new(term, Algebra.Parse(text), 1, 1, "test", [], [x], x);
        var right = PinnRecovery.Check(Of("-1.03*x^2/(1.02 + x^2)"), truth);
        Assert.True(right.ExactForm);
        Assert.InRange(right.CoefficientError, 0.005, 0.03);
        Assert.False(PinnRecovery.Check(Of("-0.2*x - 0.1*x^2"), truth).ExactForm);
    }

    [Fact]
    public void Small_lotka_volterra_run_completes_equations_that_reproduce_the_data()
    {
        var example = PinnExamples.LotkaVolterra(points: 20, noise: 0.0, seed: 1);
        var options = new PinnOptions(Epochs: 800, WarmupEpochs: 100, LbfgsIterations: 60, CollocationPoints: 64, SurrogateWidth: 16, Seed: 3,
            Distillation: new DistillationOptions(Samples: 100, SearchSeconds: 0, PolynomialDegree: 2));
        var progress = new List<PinnProgress>();
        var result = HiddenTermPinn.Fit(example.Problem(), example.Data, options, progress.Add);
        Assert.Equal(2, result.Equations.Count);
        Assert.Equal("x'", result.Equations[0].Target);
        Assert.DoesNotContain(ExprModule.subexpressions(result.Equations[0].RightHandSide), e => e is Expr.Placeholder);
        Assert.Contains(progress, p => p.Phase == "adam");
        Assert.All(result.Hidden, h => Assert.True(h.R2 > 0.9, $"{h.Term.Name}: R² {h.R2}"));
        Assert.True(result.Verification.R2 is not null, result.Verification.Description + " " + result.Format());
        Assert.All(result.Verification.R2!.Values, r2 => Assert.True(r2 > 0.5, $"R² {r2}"));
        var json = Discovery.Results.ResultJson.Serialize(result.ToDiscoveryResult());
        Assert.Contains("\"hidden\"", json);
    }

    [Fact]
    public void Same_seed_gives_the_same_networks_and_cancellation_keeps_what_was_learned()
    {
        var example = PinnExamples.Budworm(points: 12, noise: 0.0, seed: 1);
        var options = new PinnOptions(Epochs: 60, WarmupEpochs: 20, LbfgsIterations: 0, CollocationPoints: 32, SurrogateWidth: 8, HiddenWidth: 8, Seed: 5,
            Distillation: new DistillationOptions(Samples: 40, SearchSeconds: 0, PolynomialDegree: 2));
        var a = HiddenTermPinn.Fit(example.Problem(), example.Data, options);
        var b = HiddenTermPinn.Fit(example.Problem(), example.Data, options);
        Assert.Equal(a.Loss, b.Loss);
        Assert.Equal(a.Hidden[0].Values, b.Hidden[0].Values);

        using var cancel = new CancellationTokenSource();
        var stopped = HiddenTermPinn.Fit(example.Problem(), example.Data, options with { Epochs = 100000 }, p =>
        {
            if (p.Phase == "adam" && p.Step >= 10) cancel.Cancel();
        }, cancel.Token);
        Assert.True(stopped.Interrupted);
        Assert.True(stopped.Steps.Adam < 1000);
        Assert.Single(stopped.Equations);
    }

    [Fact]
    public void Constant_of_the_known_part_is_fitted_along_with_the_networks()
    {
        // Lotka-Volterra with x' fully known except its growth rate a (truth 1.3) and y's interaction term hidden.
        var example = PinnExamples.LotkaVolterra(points: 20, noise: 0.0, seed: 1);
        var problem = PinnProblem.Parse(["x' = a*x - 0.9*x*y", "y' = -1.8*y + h2(x, y)"], LvColumns, "t", fit: ["a=1"]);
        var options = new PinnOptions(Epochs: 300, WarmupEpochs: 100, LbfgsIterations: 40, CollocationPoints: 64, SurrogateWidth: 16, Seed: 3,
            Distillation: new DistillationOptions(Samples: 80, SearchSeconds: 0));
        var result = HiddenTermPinn.Fit(problem, example.Data, options);
        Assert.InRange(result.Parameters["a"], 1.3 * 0.95, 1.3 * 1.05);
        Assert.DoesNotContain(ExprModule.subexpressions(result.Equations[0].RightHandSide), e => e is Expr.Parameter);
    }

    [Fact]
    public void Small_burgers_run_learns_the_advection_term_from_derivatives_of_the_surrogate()
    {
        var example = PinnExamples.Burgers(nx: 32, nt: 6, timeEnd: 0.5, viscosity: 0.1, noise: 0.0);
        var options = new PinnOptions(Epochs: 500, WarmupEpochs: 200, LbfgsIterations: 40, CollocationPoints: 256, SurrogateWidth: 16, HiddenWidth: 8,
            Seed: 1, Distillation: new DistillationOptions(Samples: 150, SearchSeconds: 0, PolynomialDegree: 2));
        var result = HiddenTermPinn.Fit(example.Problem(), example.Data, options);
        Assert.Equal("u_t", result.Equations[0].Target);
        Assert.Equal(["u", "u_x"], result.Hidden[0].Term.ArgumentNames);
        // The hidden network must at least correlate with the true -u*u_x at the samples.
        var truth = Discovery.SparseRegression.FeatureMatrix.Evaluate([example.Truth["h1"].Expression], ["u", "u_x"], result.Hidden[0].Arguments)[0];
        Assert.True(Discovery.SparseRegression.Metrics.R2(result.Hidden[0].Values, truth) > 0.5);
        Assert.NotNull(result.Verification.R2);
    }
}
