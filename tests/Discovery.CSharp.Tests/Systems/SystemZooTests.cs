using Discovery.Integration;
using Discovery.Systems;

namespace Discovery.Tests.Systems;

public class SystemZooTests
{
    [Fact]
    public void The_zoo_has_at_least_thirty_systems_including_every_required_one()
    {
        Assert.True(SystemZoo.All.Count >= 30, $"{SystemZoo.All.Count} systems");
        string[] required =
        [
            "lorenz", "rossler", "chen", "chua", "thomas", "aizawa", "halvorsen", "dadras", "rabinovich-fabrikant", "sprott-b",
            "sprott-linz-f", "four-wing", "chen-lee", "duffing", "van-der-pol", "lotka-volterra", "damped-pendulum",
            "double-pendulum", "lorenz96", "hindmarsh-rose", "fitzhugh-nagumo", "sir", "brusselator", "selkov", "hopf",
            "harmonic-oscillator",
        ];
        foreach (var name in required) Assert.NotNull(SystemZoo.Find(name));
        Assert.Equal(SystemZoo.Names.Count, SystemZoo.Names.Distinct().Count());
    }

    [Fact]
    public void Every_system_is_consistent_and_takes_a_step_from_its_initial_state()
    {
        foreach (var system in SystemZoo.All)
        {
            Assert.Equal(system.Dimension, system.InitialState.Length);
            Assert.Equal(system.Dimension, system.Equations.Count);
            Assert.True(system.TimeStep > 0);
            Assert.NotEmpty(system.Description);
            var derivative = new double[system.Dimension];
            system.ToOdeProblem().RightHandSide(0, system.InitialState, derivative);
            Assert.All(derivative, d => Assert.True(double.IsFinite(d), $"{system.Name}: non-finite derivative"));
            var data = system.Simulate(new SimulationOptions(TimeEnd: 20 * system.TimeStep, RelativeTolerance: 1e-6, AbsoluteTolerance: 1e-8));
            Assert.Equal(20, data.Trajectories[0].Length);
        }
    }

    [Fact]
    public void Names_are_found_ignoring_case_and_dashes_and_unknown_names_get_suggestions()
    {
        Assert.Equal("rabinovich-fabrikant", SystemZoo.Get("RabinovichFabrikant").Name);
        Assert.Equal("van-der-pol", SystemZoo.Get("vdp").Name);
        var error = Assert.Throws<KeyNotFoundException>(() => SystemZoo.Get("lorentz"));
        Assert.Contains("lorenz", error.Message);
    }

    [Fact]
    public void Lorenz_from_the_zoo_matches_the_hand_written_right_hand_side()
    {
        var lorenz = SystemZoo.Get("lorenz");
        Assert.Equal(["x", "y", "z"], lorenz.StateNames);
        Assert.Equal([-8.0, 8, 27], lorenz.InitialState);
        var zoo = new DormandPrince54(AdaptiveStepOptions.Tight).Solve(lorenz.ToOdeProblem(), lorenz.InitialState, [0.0, 1.0]).FinalState;
        double[] reference = [9.057167838929, 14.558948991100, 18.415293946880];
        for (var i = 0; i < 3; i++) Assert.Equal(reference[i], zoo[i], 1e-7);
    }

    [Fact]
    public void Parameters_can_be_overridden_and_unknown_ones_are_refused()
    {
        var lorenz = SystemZoo.Get("lorenz");
        var changed = lorenz.WithParameters([new("rho", 15.0)]);
        Assert.Equal(15, changed.Parameter("rho"));
        Assert.Equal(28, lorenz.Parameter("rho"));
        Assert.Null(changed.LargestLyapunovExponent);
        var derivative = new double[3];
        changed.ToOdeProblem().RightHandSide(0, [1.0, 0, 0], derivative);
        Assert.Equal(15, derivative[1], 1e-12);
        Assert.Throws<ArgumentException>(() => lorenz.WithParameters([new("rh0", 1.0)]));
    }

    [Fact]
    public void Lorenz96_exists_in_any_dimension()
    {
        foreach (var n in new[] { 4, 7, 40 })
        {
            var system = SystemZoo.Find($"lorenz96-{n}")!;
            Assert.Equal(n, system.Dimension);
            var x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            var derivative = new double[n];
            system.ToOdeProblem().RightHandSide(0, x, derivative);
            for (var i = 0; i < n; i++)
            {
                var expected = (x[(i + 1) % n] - x[(i - 2 + n) % n]) * x[(i - 1 + n) % n] - x[i] + 8;
                Assert.Equal(expected, derivative[i], 1e-12);
            }
        }
        Assert.Equal(5, SystemZoo.Get("lorenz96").Dimension);
    }

    [Fact]
    public void Harmonic_oscillator_and_hopf_normal_form_follow_their_analytic_solutions()
    {
        var oscillator = SystemZoo.Get("harmonic-oscillator").WithParameters([new("omega", 2.0)]);
        var data = oscillator.Simulate(new SimulationOptions(TimeEnd: 10, TimeStep: 0.1));
        var trajectory = data.Trajectories[0];
        for (var k = 0; k < trajectory.Length; k++)
            Assert.Equal(Math.Cos(2 * trajectory.Times[k]), trajectory.States[k, 0], 1e-8);

        var hopf = SystemZoo.Get("hopf").WithParameters([new("mu", 4.0)]);
        var end = hopf.Simulate(new SimulationOptions(TimeEnd: 30, TimeStep: 1)).Trajectories[0].Row(29);
        Assert.Equal(2, Math.Sqrt(end[0] * end[0] + end[1] * end[1]), 1e-6);
    }

    [Fact]
    public void Double_pendulum_text_conserves_its_hamiltonian()
    {
        var pendulum = SystemZoo.Get("double-pendulum");
        var data = pendulum.Simulate(new SimulationOptions(TimeEnd: 10, TimeStep: 0.5, RelativeTolerance: 1e-11, AbsoluteTolerance: 1e-11));
        double Energy(double[] s)
        {
            double th1 = s[0], th2 = s[1], p1 = s[2], p2 = s[3], delta = th1 - th2;
            var kinetic = (p1 * p1 + 2 * p2 * p2 - 2 * p1 * p2 * Math.Cos(delta)) / (2 * (1 + Math.Sin(delta) * Math.Sin(delta)));
            return kinetic - 2 * 9.81 * Math.Cos(th1) - 9.81 * Math.Cos(th2);
        }
        var trajectory = data.Trajectories[0];
        var initial = Energy(trajectory.Row(0));
        for (var k = 1; k < trajectory.Length; k++) Assert.Equal(initial, Energy(trajectory.Row(k)), 1e-7);
        // The motion is far from trivial: the lower arm swings over a wide range.
        var th2 = trajectory.Column(1);
        Assert.True(th2.Max() - th2.Min() > 1);
    }

    [Fact]
    public void Stiff_zoo_systems_are_simulated_with_the_stiff_solver()
    {
        var robertson = SystemZoo.Get("robertson");
        Assert.True(robertson.IsStiff);
        var data = robertson.Simulate(new SimulationOptions(TimeEnd: 40.1, TimeStep: 40, RelativeTolerance: 1e-8, AbsoluteTolerance: 1e-12));
        Assert.Equal(0.7158270687, data.Trajectories[0].States[1, 0], 1e-7);
    }
}
