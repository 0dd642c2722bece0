using Discovery.Data;
using Discovery.Integration;

namespace Discovery.Systems;

/// <summary>Which integrator a simulation uses.</summary>
public enum SolverChoice
{
    /// <summary>Rodas4 for systems marked stiff, Dormand-Prince 5(4) otherwise.</summary>
    Auto,
    /// <summary>Adaptive Dormand-Prince 5(4) with dense output.</summary>
    DormandPrince,
    /// <summary>Rodas4, the stiff Rosenbrock solver.</summary>
    Rodas,
    /// <summary>Fixed-step classical Runge-Kutta 4 with step <see cref="SimulationOptions.FixedStep"/>.</summary>
    RungeKutta4,
}

/// <summary>How to simulate a system into a data set.</summary>
/// <param name="TimeEnd">End of the time span (exclusive, as numpy's arange: samples at t0, t0 + dt, … below TimeEnd).</param>
/// <param name="TimeStep">Sampling step; null uses the system's recommended step.</param>
/// <param name="TimeStart">Start time.</param>
/// <param name="InitialState">Initial state of the first trajectory; null uses the system's default.</param>
/// <param name="Trajectories">Number of trajectories; the first starts at the initial state, the others at seeded random
/// perturbations of it (each coordinate moved by up to ±InitialSpread × (1 + |value|)).</param>
/// <param name="InitialSpread">Relative size of those perturbations.</param>
/// <param name="NoiseLevel">Gaussian measurement noise, std = level × RMS of each column (0 = clean).</param>
/// <param name="Seed">Seed of the perturbations and the noise.</param>
/// <param name="Solver">The integrator.</param>
/// <param name="RelativeTolerance">Error control of the adaptive solvers.</param>
/// <param name="AbsoluteTolerance">Error control of the adaptive solvers.</param>
/// <param name="FixedStep">Step of <see cref="SolverChoice.RungeKutta4"/>; null uses a tenth of the sampling step.</param>
public sealed record SimulationOptions(
    double TimeEnd = 10,
    double? TimeStep = null,
    double TimeStart = 0,
    double[]? InitialState = null,
    int Trajectories = 1,
    double InitialSpread = 0.2,
    double NoiseLevel = 0,
    int Seed = 0,
    SolverChoice Solver = SolverChoice.Auto,
    double RelativeTolerance = 1e-10,
    double AbsoluteTolerance = 1e-10,
    double? FixedStep = null);

/// <summary>Turns a <see cref="DynamicalSystem"/> into trajectory data by integrating it.</summary>
public static class Simulation
{
    /// <summary>
    /// Integrates <paramref name="system"/> as <paramref name="options"/> say and returns the sampled trajectories (clean,
    /// or with the requested noise). Throws ArgumentException for bad options and <see cref="OdeIntegrationException"/>
    /// when a trajectory blows up.
    /// </summary>
    public static TrajectoryData Simulate(this DynamicalSystem system, SimulationOptions? options = null)
    {
        options ??= new SimulationOptions();
        var dt = options.TimeStep ?? system.TimeStep;
        var times = UniformTimes(options.TimeStart, options.TimeEnd, dt);
        if (options.Trajectories < 1) throw new ArgumentException($"at least one trajectory is needed (got {options.Trajectories})");
        if (!(options.InitialSpread >= 0)) throw new ArgumentException($"the initial spread must be >= 0 (got {options.InitialSpread})");
        var x0 = options.InitialState ?? system.InitialState;
        if (x0.Length != system.Dimension)
            throw new ArgumentException($"{system.Name} has {system.Dimension} states ({string.Join(", ", system.StateNames)}) but the initial state has {x0.Length} values");
        if (x0.Any(v => !double.IsFinite(v))) throw new ArgumentException("the initial state must be finite");

        var problem = system.ToOdeProblem();
        var solver = CreateSolver(system, options, dt);
        var random = new Random(options.Seed);
        var trajectories = new List<Trajectory>(options.Trajectories);
        for (var k = 0; k < options.Trajectories; k++)
        {
            var start = (double[])x0.Clone();
            if (k > 0)
                for (var i = 0; i < start.Length; i++)
                    start[i] += options.InitialSpread * (1 + Math.Abs(start[i])) * (2 * random.NextDouble() - 1);
            var solution = solver.Solve(problem, start, times);
            trajectories.Add(new Trajectory(solution.Times, solution.States, k.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        var data = new TrajectoryData(system.StateNames, trajectories, DynamicalSystem.TimeVariable);
        return options.NoiseLevel > 0 ? Noise.AddGaussian(data, options.NoiseLevel, unchecked(options.Seed * 7919 + 17)) : data;
    }

    /// <summary>
    /// Sample times t0, t0 + dt, … strictly below <paramref name="end"/> (numpy's arange; an end that is a whole number
    /// of steps away is excluded up to rounding): [0, 10) with dt = 0.002 gives 5000 samples.
    /// </summary>
    public static double[] UniformTimes(double start, double end, double step)
    {
        if (!double.IsFinite(start) || !double.IsFinite(end)) throw new ArgumentException("the time span must be finite");
        if (!(step > 0) || !double.IsFinite(step)) throw new ArgumentException($"the time step must be positive (got {step})");
        if (!(end > start)) throw new ArgumentException($"the end time ({end}) must be after the start time ({start})");
        var count = (long)Math.Ceiling((end - start) / step - 1e-9);
        if (count > 50_000_000) throw new ArgumentException($"{count} samples is too many; use a larger step or a shorter span");
        var times = new double[Math.Max(count, 1)];
        for (var k = 0; k < times.Length; k++) times[k] = start + k * step;
        return times;
    }

    private static IOdeSolver CreateSolver(DynamicalSystem system, SimulationOptions options, double dt)
    {
        var tolerances = new AdaptiveStepOptions(options.RelativeTolerance, options.AbsoluteTolerance);
        return options.Solver switch
        {
            SolverChoice.DormandPrince => new DormandPrince54(tolerances),
            SolverChoice.Rodas => new Rodas4(tolerances),
            SolverChoice.RungeKutta4 => new RungeKutta4(options.FixedStep ?? dt / 10),
            _ => system.IsStiff ? new Rodas4(tolerances) : new DormandPrince54(tolerances),
        };
    }
}
