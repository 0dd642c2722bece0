using Discovery.Data;
using Discovery.Systems;

namespace Discovery.Tests.Systems;

/// <summary>The small API the learners use: simulate, differentiate, compare with the truth, rebuild from equations.</summary>
public class DynamicsApiTests
{
    [Fact]
    public void Estimated_derivatives_of_simulated_lorenz_data_match_the_equations()
    {
        var lorenz = Dynamics.System("lorenz");
        var data = Dynamics.Simulate(lorenz, new SimulationOptions(TimeEnd: 2, TimeStep: 0.002));
        var exact = data.ExactDerivatives(lorenz)[0];
        foreach (var method in new[] { "fd4", "savgol", "spline" })
        {
            var estimate = data.Derivatives(Dynamics.Differentiator(method))[0];
            double worst = 0, scale = 0;
            for (var k = 10; k < estimate.GetLength(0) - 10; k++)
            for (var j = 0; j < 3; j++)
            {
                worst = Math.Max(worst, Math.Abs(estimate[k, j] - exact[k, j]));
                scale = Math.Max(scale, Math.Abs(exact[k, j]));
            }
            Assert.True(worst < 1e-3 * scale, $"{method}: worst error {worst} for derivatives up to {scale}");
        }
    }

    [Fact]
    public void A_system_rebuilt_from_its_core_equations_behaves_identically()
    {
        var rossler = Dynamics.System("rossler");
        var rebuilt = Dynamics.Define(rossler.Equations, rossler.InitialState);
        Assert.Equal(rossler.StateNames, rebuilt.StateNames);
        Assert.Equal(rossler.Parameters, rebuilt.Parameters);
        var options = new SimulationOptions(TimeEnd: 5, TimeStep: 0.5);
        Assert.Equal(rossler.Simulate(options).Trajectories[0].States, rebuilt.Simulate(options).Trajectories[0].States);
    }

    [Fact]
    public void Perturbed_parameters_stay_within_the_spread_and_depend_on_the_seed()
    {
        var lorenz = Dynamics.System("lorenz");
        var a = lorenz.WithPerturbedParameters(0.1, seed: 1);
        var b = lorenz.WithPerturbedParameters(0.1, seed: 2);
        foreach (var p in lorenz.Parameters)
            Assert.InRange(a.Parameter(p.Name) / p.Value, 0.9, 1.1);
        Assert.NotEqual(a.Parameter("rho"), b.Parameter("rho"));
        Assert.Equal(a.Parameter("rho"), lorenz.WithPerturbedParameters(0.1, seed: 1).Parameter("rho"));
    }

    [Fact]
    public void Data_saved_and_loaded_through_the_api_round_trips_with_noise_applied()
    {
        var path = Path.Combine(Path.GetTempPath(), $"discovery-api-{Guid.NewGuid():N}.csv");
        try
        {
            var data = Dynamics.Simulate("sir", new SimulationOptions(TimeEnd: 5, TimeStep: 1, Trajectories: 2)).AddNoise(0.01, seed: 3);
            Dynamics.Save(path, data);
            var back = Dynamics.Load(path);
            Assert.Equal(data.Trajectories[1].States, back.Trajectories[1].States);
            Assert.Equal(["S", "I", "R"], back.StateNames);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
