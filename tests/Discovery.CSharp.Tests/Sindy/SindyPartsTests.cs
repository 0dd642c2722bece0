using Discovery.Data;
using Discovery.Differentiation;
using Discovery.SparseRegression;
using Microsoft.FSharp.Collections;
using Symbolic;
using Xunit.Abstractions;

namespace Discovery.Tests.Sindy;

/// <summary>The parts of SINDy one by one: libraries, optimizers, the sweep, the fitted model.</summary>
public sealed class SindyPartsTests(ITestOutputHelper output)
{
    private static string[] Names(FeatureLibrary library, params string[] inputs) =>
        library.Features(inputs).Select(f => Print.infix(f)).ToArray();

    private static Expr Parse(string text) => Symbolic.Parse.expression(text).ResultValue;

    [Fact]
    public void The_polynomial_library_names_its_terms_in_pysindys_order()
    {
        Assert.Equal(["1", "x", "y", "x^2", "x*y", "y^2"], Names(new PolynomialLibrary(2), "x", "y"));
        Assert.Equal(["x", "y", "x^2", "y^2", "x^3", "y^3"], Names(new PolynomialLibrary(3, includeInteractions: false, includeBias: false), "x", "y"));
        Assert.Equal(20, new PolynomialLibrary(3).Features(["x", "y", "z"]).Count);
        Assert.Equal(["1", "u", "u^2"], Names(new PolynomialLibrary(2, variables: ["u"]), "u", "v"));
    }

    [Fact]
    public void Fourier_custom_concatenated_and_tensor_libraries_compose_and_drop_duplicates()
    {
        Assert.Equal(["sin(x)", "cos(x)", "sin(2*x)", "cos(2*x)"], Names(new FourierLibrary(2), "x"));
        var custom = CustomLibrary.ParseExpressions("x/(1+x); sin(y)");
        Assert.Equal(2, custom.Features(["x", "y"]).Count);
        var both = new PolynomialLibrary(1) + new PolynomialLibrary(2);
        Assert.Equal(["1", "x", "x^2"], Names(both, "x"));
        var tensor = new PolynomialLibrary(1, includeBias: false) * new FourierLibrary(1);
        Assert.Equal(["x*sin(x)", "x*cos(x)"], Names(tensor, "x"));
        var perInput = CustomLibrary.PerInput(["x", "y"], v => v / (1 + v));
        Assert.Equal(2, perInput.Features(["x", "y"]).Count);
        Assert.Throws<ArgumentException>(() => custom.Features(["x"]));
    }

    [Fact]
    public void Library_specifications_parse_and_bad_ones_say_why()
    {
        Assert.Equal(10, FeatureLibrary.Parse("poly:2").Features(["x", "y", "z"]).Count);
        Assert.Equal(9, FeatureLibrary.Parse("poly:2:nobias").Features(["x", "y", "z"]).Count);
        Assert.Equal(["1", "x", "x^2", "sin(x)", "cos(x)"], Names(FeatureLibrary.Parse("poly:2+fourier:1"), "x"));
        Assert.Equal(["x/(x + 1)"], Names(FeatureLibrary.Parse("custom:\"x/(1+x)\""), "x"));
        Assert.Contains("unknown kind", Assert.Throws<FormatException>(() => FeatureLibrary.Parse("spline:3")).Message);
        Assert.Contains("degree", Assert.Throws<FormatException>(() => FeatureLibrary.Parse("poly:x")).Message);
        Assert.Contains("custom feature", Assert.Throws<FormatException>(() => FeatureLibrary.Parse("custom:x+")).Message);
    }

    [Fact]
    public void A_feature_that_is_not_finite_on_the_data_is_named_with_its_row()
    {
        var data = new TrajectoryData(["x"], new Trajectory([0, 1, 2, 3, 4], new double[,] { { 1 }, { 0 }, { -1 }, { 0 }, { 1 } }));
        var sindy = new SparseRegression.Sindy(library: CustomLibrary.ParseExpressions("x/(1 + x)"), differentiation: new FiniteDifference(2));
        var error = Assert.Throws<ArgumentException>(() => sindy.Fit(data));
        Assert.Contains("x/(x + 1)", error.Message);
        Assert.Contains("row 3", error.Message);
    }

    [Fact]
    public void Stlsq_thresholds_and_refits_to_the_exact_sparse_solution()
    {
        // y0 = 2 a - 3 c, y1 = 0.5 b exactly, with correlated features: least squares gives small spurious terms only
        // when thresholding is wrong.
        var random = new Random(3);
        var rows = 200;
        var a = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
        var b = a.Select(v => v + 0.1 * random.NextDouble()).ToArray();
        var c = Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray();
        var y0 = a.Select((v, k) => 2 * v - 3 * c[k]).ToArray();
        var y1 = b.Select(v => 0.5 * v).ToArray();
        var fit = new Stlsq(0.1).Fit(new RegressionProblem([a, b, c], [y0, y1]));
        Assert.True(fit.Converged);
        Assert.Equal(2, fit.Coefficient(0, 0), 10);
        Assert.Equal(0, fit.Coefficient(0, 1));
        Assert.Equal(-3, fit.Coefficient(0, 2), 10);
        Assert.Equal(0.5, fit.Coefficient(1, 1), 10);
        Assert.Equal(1, fit.NonZero(1));
        Assert.All(fit.TrainingR2, r2 => Assert.Equal(1, r2, 10));
    }

    [Fact]
    public void Duplicate_columns_are_treated_as_one_feature()
    {
        var x = Enumerable.Range(0, 50).Select(k => k / 10.0).ToArray();
        var y = x.Select(v => 3 * v).ToArray();
        var fit = new Stlsq(0.1).Fit(new RegressionProblem([x, (double[])x.Clone()], [y]));
        Assert.Equal(3, fit.Coefficient(0, 0) + fit.Coefficient(0, 1), 10);
        Assert.Equal(1, fit.NonZero(0));
    }

    [Fact]
    public void Sr3_with_l0_recovers_lorenz_and_l1_shrinks_towards_zero()
    {
        var l0 = new SparseRegression.Sindy(new Sr3(new Sr3Options(Threshold: 0.5))).Fit(SindyTestData.Lorenz);
        output.WriteLine(l0.ToString());
        var (error, spurious, missing) = SindyTestData.Compare(l0, SindyTestData.LorenzTruth);
        Assert.Empty(spurious);
        Assert.Empty(missing);
        Assert.True(error < 1e-3);

        var l1 = new Sr3(new Sr3Options(Threshold: 1.0, Penalty: Sr3Penalty.L1, Unbias: false));
        var problem = new SparseRegression.Sindy().Prepare(SindyTestData.Lorenz).Regression;
        var shrunk = l1.Fit(problem);
        Assert.True(Math.Abs(shrunk.Coefficient(0, 1)) < 10, "L1 without unbiasing shrinks |-10|");
    }

    [Fact]
    public void Sr3_trimming_leaves_out_corrupted_rows_and_keeps_the_coefficients()
    {
        var random = new Random(5);
        var rows = 400;
        var x = Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var z = Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var y = x.Select((v, k) => 1.5 * v - 2 * z[k]).ToArray();
        var corrupted = new[] { 7, 50, 123, 200, 333, 399 };
        foreach (var k in corrupted) y[k] += 40;
        var problem = new RegressionProblem([x, z, x.Select(v => v * v).ToArray()], [y]);
        var plain = new Sr3(new Sr3Options(Threshold: 0.2)).Fit(problem);
        var trimmed = new Sr3(new Sr3Options(Threshold: 0.2, TrimmingFraction: 0.02)).Fit(problem);
        output.WriteLine($"plain {plain.Coefficient(0, 0)} {plain.Coefficient(0, 1)} {plain.Coefficient(0, 2)}; trimmed rows {string.Join(",", trimmed.TrimmedRows)}");
        Assert.Equal(corrupted, trimmed.TrimmedRows.Where(k => corrupted.Contains(k)));
        Assert.Equal(1.5, trimmed.Coefficient(0, 0), 8);
        Assert.Equal(-2, trimmed.Coefficient(0, 1), 8);
        Assert.Equal(0, trimmed.Coefficient(0, 2));
        Assert.True(Math.Abs(plain.Coefficient(0, 0) - 1.5) > 1e-3, "without trimming the outliers pull the fit");
    }

    [Fact]
    public void The_ensemble_is_sure_of_the_true_terms_and_its_intervals_cover_the_truth()
    {
        var noisy = Noise.AddGaussian(SindyTestData.Lorenz, 0.01, seed: 2);
        var ensemble = new EnsembleOptimizer(new Stlsq(0.5), new EnsembleOptions(Models: 30, Seed: 1));
        var model = new SparseRegression.Sindy(ensemble, options: new SindyOptions(new WeakFormOptions())).Fit(noisy);
        output.WriteLine(model.ToString());
        var statistics = model.Ensemble!;
        var coefficients = model.Coefficients;
        for (var i = 0; i < model.StateNames.Count; i++)
        for (var j = 0; j < model.FeatureNames.Count; j++)
        {
            var key = (model.StateNames[i], model.FeatureNames[j]);
            var inclusion = statistics.InclusionProbability[i, j];
            if (SindyTestData.LorenzTruth.TryGetValue(key, out var truth))
            {
                Assert.Equal(1.0, inclusion);
                Assert.InRange(statistics.Low[i, j], double.NegativeInfinity, statistics.High[i, j]);
                Assert.True(Math.Abs(coefficients[i, j] - truth) < 0.03 * Math.Abs(truth), $"{key}: {coefficients[i, j]}");
            }
            else Assert.True(inclusion < 0.5, $"{key} included with probability {inclusion}");
        }
        var terms = model.Terms(1);
        Assert.Contains(terms, t => Print.infix(t.Feature) == "x*z" && t.InclusionProbability == 1.0 && t.Low <= -0.99 && t.High >= -1.01);
    }

    [Fact]
    public void Library_dropping_ensembles_report_inclusion_over_the_models_that_had_the_term()
    {
        var data = SindyTestData.Simulate("lotka-volterra", 5, 0.01);
        var ensemble = new EnsembleOptimizer(new Stlsq(0.2), new EnsembleOptions(Models: 12, Bagging: false, DropFeatures: 1, Seed: 4));
        var model = new SparseRegression.Sindy(ensemble).Fit(data);
        var statistics = model.Ensemble!;
        var xy = model.FeatureNames.ToList().IndexOf("x*y");
        Assert.Equal(1.0, statistics.InclusionProbability[0, xy]);
        Assert.Equal(1.3, model.Coefficient("x", "x"), 4);
    }

    [Fact]
    public void Ensembles_are_reproducible_for_a_seed()
    {
        var noisy = Noise.AddGaussian(SindyTestData.Simulate("lotka-volterra", 5, 0.01), 0.02, seed: 3);
        SparseRegression.FittedSindy Fit(int seed) =>
            new SparseRegression.Sindy(new EnsembleOptimizer(new Stlsq(0.2), new EnsembleOptions(Models: 10, Seed: seed))).Fit(noisy);
        Assert.Equal(Fit(7).Ensemble!.Low, Fit(7).Ensemble!.Low);
        Assert.NotEqual(Fit(7).Ensemble!.Low, Fit(8).Ensemble!.Low);
    }

    [Fact]
    public void The_threshold_sweep_picks_the_true_lorenz_model_from_its_pareto_front()
    {
        var sweep = new SparseRegression.Sindy().Sweep(SindyTestData.Lorenz);
        foreach (var p in sweep.Points.Where(p => p.OnFront))
            output.WriteLine($"{p.State}' c={p.Complexity} err={p.Error:E2} t={p.Threshold:G3} {(p.Chosen ? "chosen" : "")}");
        var (error, spurious, missing) = SindyTestData.Compare(sweep.Model, SindyTestData.LorenzTruth);
        Assert.Empty(spurious);
        Assert.Empty(missing);
        Assert.True(error < 1e-3);
        Assert.Equal(3, sweep.Points.Count(p => p.Chosen));
        foreach (var state in new[] { "x", "y", "z" })
        {
            var front = sweep.Points.Where(p => p.State == state && p.OnFront).OrderBy(p => p.Complexity).ToList();
            for (var k = 1; k < front.Count; k++) Assert.True(front[k].Error < front[k - 1].Error);
        }
        Assert.Equal(3, sweep.Points.Single(p => p.State == "y" && p.Chosen).Complexity);
    }

    [Fact]
    public void The_pick_rule_takes_the_knee_within_the_tolerance_of_the_best_error()
    {
        var options = new SweepOptions();
        // Errors 1, 0.3, 1e-9 (floored to 1e-6), 0.9e-9: the knee is the third point.
        Assert.Equal(2, ThresholdSweep.Pick([(0, 1.0), (1, 0.3), (2, 1e-9), (3, 0.9e-9)], options));
        // Noisy data: 0.0101 and 0.0100 are both within 1.5x; the big drop to 0.0101 wins over the tiny one after it.
        Assert.Equal(1, ThresholdSweep.Pick([(0, 1.0), (2, 0.0101), (5, 0.0100)], options));
        // Nothing explains the data: the empty model.
        Assert.Equal(0, ThresholdSweep.Pick([(0, 1.0), (1, 0.99)], options));
    }

    [Fact]
    public void The_fitted_model_predicts_scores_simulates_and_prints_equations_that_parse_back()
    {
        var model = new SparseRegression.Sindy(new Stlsq(0.5)).Fit(SindyTestData.Lorenz);
        Assert.Equal(7, model.Complexity);
        Assert.True(model.Score(SindyTestData.Lorenz) > 0.999999);

        var predicted = model.Predict(new double[,] { { 1, 2, 3 } });
        Assert.Equal(10, predicted[0, 0], 4);
        Assert.Equal(28 - 2 - 3, predicted[0, 1], 4);
        Assert.Equal(2 - 8.0, predicted[0, 2], 3);

        var times = SindyTestData.Lorenz.Trajectories[0].Times[..500];
        var simulated = model.Simulate([-8, 8, 27], times);
        var data = SindyTestData.Lorenz.Trajectories[0];
        for (var k = 0; k < 500; k += 50)
            Assert.Equal(data.States[k, 0], simulated.States[k, 0], 2);

        foreach (var equation in model.Equations)
        {
            var text = Print.infixEquation(equation);
            var parsed = Symbolic.Parse.equation(text);
            Assert.True(parsed.IsOk, text);
            Assert.True(Equivalence.areEquivalent(equation.Rhs, parsed.ResultValue.Rhs), text);
        }
        var truth = Parse("x*(28 - z) - y");
        Assert.True(Equivalence.isSymbolicSolution(truth, model.RightHandSide("y")));
        Assert.Contains("x y", Print.latex(model.RightHandSide("z")));
    }

    [Fact]
    public void Equations_are_built_through_the_core_so_zero_and_constant_terms_read_naturally()
    {
        var features = new[] { ExprModule.one, ExprModule.variable("x"), Parse("x*y") };
        Assert.Equal("0", Print.infix(FittedSindy.LinearCombination([0, 0, 0], features)));
        Assert.Equal("2.5", Print.infix(FittedSindy.LinearCombination([2.5, 0, 0], features)));
        Assert.Equal("1.5*x*y - 2.0*x", Print.infix(FittedSindy.LinearCombination([0, -2.0, 1.5], features)));
    }

    [Fact]
    public void The_weak_form_uses_test_functions_that_integrate_to_one_and_vanish_at_the_ends()
    {
        var times = Enumerable.Range(0, 41).Select(k => 0.01 * k).ToArray();
        var (phi, dphi) = WeakForm.TestFunction(times, 4);
        Assert.Equal(1, phi.Sum(), 12);
        Assert.Equal(0, phi[0]);
        Assert.Equal(0, phi[^1]);
        // -∫φ' x dt = ∫φ x' dt: for x = t², x' = 2t and the window is symmetric about 0.2, so both are 2·0.2 = 0.4.
        Assert.Equal(0.4, -dphi.Select((w, k) => w * times[k] * times[k]).Sum(), 4);
        var windows = WeakForm.Windows(1000, 41, new WeakFormOptions(Windows: 10));
        Assert.Equal(10, windows.Count);
        Assert.Equal((0, 40), windows[0]);
        Assert.Equal((959, 999), windows[^1]);
    }

    [Fact]
    public void Fitting_with_known_derivatives_skips_differentiation()
    {
        var data = SindyTestData.Simulate("lotka-volterra", 3, 0.01);
        var derivatives = data.Trajectories.Select(t =>
        {
            var d = new double[t.Length, 2];
            for (var k = 0; k < t.Length; k++)
            {
                var (x, y) = (t.States[k, 0], t.States[k, 1]);
                d[k, 0] = 1.3 * x - 0.9 * x * y;
                d[k, 1] = 0.8 * x * y - 1.8 * y;
            }
            return d;
        }).ToArray();
        var model = new SparseRegression.Sindy(new Stlsq(0.2)).Fit(data, derivatives);
        Assert.Equal(-0.9, model.Coefficient("x", "x*y"), 10);
    }
}
