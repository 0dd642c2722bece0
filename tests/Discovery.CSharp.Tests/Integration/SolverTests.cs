using Discovery.Integration;
using static Discovery.Tests.Integration.OdeTestProblems;

namespace Discovery.Tests.Integration;

public class SolverTests
{
    private static double MaxError(OdeSolution solution, Func<double, int, double> exact)
    {
        var worst = 0.0;
        for (var k = 0; k < solution.Times.Length; k++)
        for (var i = 0; i < solution.Dimension; i++)
            worst = Math.Max(worst, Math.Abs(solution.States[k, i] - exact(solution.Times[k], i)));
        return worst;
    }

    [Fact]
    public void Dormand_prince_follows_exponential_decay_at_every_requested_time()
    {
        var times = Linspace(0, 5, 1001);
        var solution = new DormandPrince54(new AdaptiveStepOptions(1e-10, 1e-12)).Solve(Decay, [2.0], times);
        Assert.True(MaxError(solution, (t, _) => 2 * Math.Exp(-t)) < 1e-9);
        // Dense output: far fewer steps than samples.
        Assert.True(solution.Statistics.AcceptedSteps < 200, $"{solution.Statistics.AcceptedSteps} steps");
    }

    [Fact]
    public void Dense_output_between_steps_is_as_accurate_as_the_steps()
    {
        var times = Linspace(0, 20, 2001);
        var solution = new DormandPrince54(new AdaptiveStepOptions(1e-9, 1e-12)).Solve(Oscillator, [1.0, 0.0], times);
        var error = MaxError(solution, (t, i) => i == 0 ? Math.Cos(t) : -Math.Sin(t));
        Assert.True(error < 1e-8, $"max error {error}");
        Assert.True(solution.Statistics.AcceptedSteps < 500);
    }

    [Fact]
    public void Runge_kutta_4_lands_on_requested_times_and_matches_the_harmonic_oscillator()
    {
        var times = Linspace(0, 10, 37);
        var solution = new RungeKutta4(0.01).Solve(Oscillator, [1.0, 0.0], times);
        Assert.Equal(times, solution.Times);
        Assert.True(MaxError(solution, (t, i) => i == 0 ? Math.Cos(t) : -Math.Sin(t)) < 1e-8);
    }

    [Fact]
    public void Runge_kutta_4_converges_with_order_four()
    {
        double ErrorWithStep(double h) =>
            Math.Abs(new RungeKutta4(h).Solve(ExpSin, [1.0], [0.0, 2.0]).FinalState[0] - Math.Exp(Math.Sin(2.0)));
        var order = Math.Log2(ErrorWithStep(0.1) / ErrorWithStep(0.05));
        var order2 = Math.Log2(ErrorWithStep(0.05) / ErrorWithStep(0.025));
        Assert.InRange(order, 3.8, 4.2);
        Assert.InRange(order2, 3.8, 4.2);
    }

    [Fact]
    public void Dormand_prince_error_falls_with_the_fifth_power_of_the_step_count()
    {
        // Work-precision slope: error ~ steps^-5 for a fifth-order method (measured over a 10^4 range of tolerances).
        var points = new List<(double LogSteps, double LogError)>();
        foreach (var tol in new[] { 1e-5, 1e-6, 1e-7, 1e-8, 1e-9 })
        {
            var solution = new DormandPrince54(new AdaptiveStepOptions(tol, tol)).Solve(ExpSin, [1.0], [0.0, 20.0]);
            var error = Math.Abs(solution.FinalState[0] - Math.Exp(Math.Sin(20.0)));
            points.Add((Math.Log(solution.Statistics.AcceptedSteps), Math.Log(error)));
        }
        var slope = Slope(points);
        Assert.InRange(-slope, 4.0, 6.5);
    }

    [Fact]
    public void Rodas4_error_falls_with_the_fourth_power_of_the_step_count()
    {
        var points = new List<(double LogSteps, double LogError)>();
        foreach (var tol in new[] { 1e-4, 1e-5, 1e-6, 1e-7, 1e-8 })
        {
            var solution = new Rodas4(new AdaptiveStepOptions(tol, tol)).Solve(ExpSin, [1.0], [0.0, 20.0]);
            var error = Math.Abs(solution.FinalState[0] - Math.Exp(Math.Sin(20.0)));
            points.Add((Math.Log(solution.Statistics.AcceptedSteps), Math.Log(error)));
        }
        var slope = Slope(points);
        Assert.InRange(-slope, 3.2, 5.0);
    }

    [Fact]
    public void Harmonic_oscillator_energy_drifts_less_than_1e_9_over_a_thousand_time_units()
    {
        var times = Linspace(0, 1000, 1001);
        var solution = new DormandPrince54(AdaptiveStepOptions.Tight).Solve(Oscillator, [1.0, 0.0], times);
        var worst = 0.0;
        for (var k = 0; k < times.Length; k++)
        {
            var energy = 0.5 * (solution.States[k, 0] * solution.States[k, 0] + solution.States[k, 1] * solution.States[k, 1]);
            worst = Math.Max(worst, Math.Abs(energy - 0.5));
        }
        Assert.True(worst < 1e-9, $"energy drift {worst}");
    }

    [Fact]
    public void Lorenz_at_t_1_from_minus8_8_27_agrees_between_rk4_with_tiny_steps_and_tight_dormand_prince()
    {
        double[] x0 = [-8, 8, 27];
        var rk4 = new RungeKutta4(1e-4).Solve(Lorenz, x0, [0.0, 1.0]).FinalState;
        var dp5 = new DormandPrince54(AdaptiveStepOptions.Tight).Solve(Lorenz, x0, [0.0, 1.0]).FinalState;
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(rk4[i] - dp5[i]) < 1e-6, $"component {i}: {rk4[i]} vs {dp5[i]}");
            Assert.True(Math.Abs(dp5[i] - LorenzAtOne[i]) < 1e-7, $"component {i}: {dp5[i]:R} vs reference {LorenzAtOne[i]:R}");
        }
    }

    /// <summary>Lorenz-63 at t = 1 from (-8, 8, 27), recorded from RK4 with h = 1e-5 (agrees with DP5 at 1e-12).</summary>
    private static readonly double[] LorenzAtOne = [9.057167838929, 14.558948991100, 18.415293946880];

    [Fact]
    public void Rodas4_solves_stiff_van_der_pol_in_few_steps_and_agrees_with_a_tighter_run()
    {
        var times = Linspace(0, 3000, 31);
        var loose = new Rodas4(new AdaptiveStepOptions(1e-6, 1e-6)).Solve(StiffVanDerPol, [2.0, 0.0], times);
        var tight = new Rodas4(new AdaptiveStepOptions(1e-10, 1e-10)).Solve(StiffVanDerPol, [2.0, 0.0], times);
        Assert.True(loose.Statistics.AcceptedSteps < 1500, $"{loose.Statistics.AcceptedSteps} steps");
        for (var k = 0; k < times.Length; k++)
            Assert.True(Math.Abs(loose.States[k, 0] - tight.States[k, 0]) < 1e-3, $"t = {times[k]}: {loose.States[k, 0]} vs {tight.States[k, 0]}");
    }

    [Fact]
    public void Rodas4_solves_robertson_kinetics_conserving_mass_where_dormand_prince_needs_hundreds_of_times_more_steps()
    {
        double[] x0 = [1, 0, 0];
        var stiff = new Rodas4(new AdaptiveStepOptions(1e-8, 1e-12)).Solve(Robertson, x0, [0.0, 40.0]);
        var explicitSolution = new DormandPrince54(new AdaptiveStepOptions(1e-8, 1e-12)).Solve(Robertson, x0, [0.0, 40.0]);
        var y = stiff.FinalState;
        Assert.True(Math.Abs(y.Sum() - 1) < 1e-10);
        Assert.True(Math.Abs(y[0] - 0.7158270687) < 1e-8, $"y1 = {y[0]:R}");
        Assert.True(Math.Abs(y[1] - 9.185534765e-6) < 1e-11, $"y2 = {y[1]:R}");
        for (var i = 0; i < 3; i++) Assert.True(Math.Abs(y[i] - explicitSolution.FinalState[i]) < 1e-7);
        Assert.True(stiff.Statistics.AcceptedSteps < 300, $"{stiff.Statistics.AcceptedSteps} steps");
        Assert.True(explicitSolution.Statistics.AcceptedSteps > 100 * stiff.Statistics.AcceptedSteps);
    }

    [Fact]
    public void Solvers_reject_times_that_do_not_increase()
    {
        Assert.Throws<ArgumentException>(() => new DormandPrince54().Solve(Decay, [1.0], [0.0, 1.0, 1.0]));
        Assert.Throws<ArgumentException>(() => new Rodas4().Solve(Decay, [1.0], [0.0, -1.0]));
        Assert.Throws<ArgumentException>(() => new RungeKutta4(0.1).Solve(Decay, [1.0, 2.0], [0.0, 1.0]));
    }

    [Fact]
    public void A_solution_that_blows_up_in_finite_time_stops_with_an_integration_error()
    {
        // x' = x², x(0) = 1 blows up at t = 1.
        var blowUp = new OdeProblem(1, (_, x, dx) => dx[0] = x[0] * x[0]);
        var error = Assert.Throws<OdeIntegrationException>(() => new DormandPrince54().Solve(blowUp, [1.0], [0.0, 2.0]));
        Assert.InRange(error.Time, 0.99, 1.001);
    }

    private static double Slope(List<(double X, double Y)> points)
    {
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        return points.Sum(p => (p.X - mx) * (p.Y - my)) / points.Sum(p => (p.X - mx) * (p.X - mx));
    }
}
