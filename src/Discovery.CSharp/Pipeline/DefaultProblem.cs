using Discovery.Data;
using Discovery.Systems;

namespace Discovery.Pipeline;

/// <summary>The built-in problem of <c>discover</c>: PySINDy's Lorenz example with 1% measurement noise.</summary>
public static class DefaultProblem
{
    public const string Description =
        "Built-in problem: the Lorenz system (sigma 10, rho 28, beta 8/3) from (-8, 8, 27), sampled every 0.002 on [0, 10), " +
        "with Gaussian noise of 1% of each state's RMS. The truth is x' = 10*(y - x), y' = x*(28 - z) - y, z' = x*y - 8/3*z.";

    /// <summary>The data (seeded noise).</summary>
    public static TrajectoryData Lorenz(long seed) =>
        SystemZoo.Get("lorenz").Simulate(new SimulationOptions(TimeEnd: 10, TimeStep: 0.002, InitialState: [-8, 8, 27],
            NoiseLevel: 0.01, Seed: unchecked((int)seed)));
}
