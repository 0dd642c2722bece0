using Discovery.Data;
using Discovery.Differentiation;
using Discovery.Integration;
using Discovery.Systems;
using Symbolic;

namespace Discovery;

/// <summary>
/// The one entry point the learners use for dynamics: named systems and user equations, simulation, ODE solving,
/// derivative estimation, and loading/saving trajectory data. Each member forwards to the part that does the work
/// (<see cref="SystemZoo"/>, <see cref="DynamicalSystem"/>, <see cref="Simulation"/>, the <see cref="IOdeSolver"/>s,
/// the <see cref="IDifferentiator"/>s, <see cref="TrajectoryCsv"/>, <see cref="Noise"/>, <see cref="Splits"/>).
/// </summary>
public static class Dynamics
{
    /// <summary>The zoo system called <paramref name="name"/> (KeyNotFoundException with suggestions otherwise).</summary>
    public static DynamicalSystem System(string name) => SystemZoo.Get(name);

    /// <summary>A system from equation text such as <c>"x' = -k*x; y' = x - y"</c> with named parameters.</summary>
    public static DynamicalSystem Define(string equations, IEnumerable<KeyValuePair<string, double>>? parameters = null,
        double[]? initialState = null, double timeStep = 0.01) =>
        DynamicalSystem.FromText(equations, parameters, initialState, timeStep);

    /// <summary>A system from core equations (e.g. a learned model), ready to simulate.</summary>
    public static DynamicalSystem Define(IEnumerable<Equation> equations, double[]? initialState = null, double timeStep = 0.01) =>
        DynamicalSystem.FromEquations(equations, initialState, timeStep);

    /// <summary>Simulates a system into trajectory data (see <see cref="SimulationOptions"/>).</summary>
    public static TrajectoryData Simulate(DynamicalSystem system, SimulationOptions? options = null) => system.Simulate(options);

    /// <summary>Simulates the zoo system called <paramref name="name"/>.</summary>
    public static TrajectoryData Simulate(string name, SimulationOptions? options = null) => SystemZoo.Get(name).Simulate(options);

    /// <summary>
    /// Solves an ODE problem sampled at <paramref name="times"/> with Dormand-Prince 5(4) (or Rodas4 when
    /// <paramref name="stiff"/>) at the given tolerances.
    /// </summary>
    public static OdeSolution Solve(OdeProblem problem, ReadOnlySpan<double> initialState, ReadOnlySpan<double> times,
        bool stiff = false, double relativeTolerance = 1e-8, double absoluteTolerance = 1e-10)
    {
        var options = new AdaptiveStepOptions(relativeTolerance, absoluteTolerance);
        IOdeSolver solver = stiff ? new Rodas4(options) : new DormandPrince54(options);
        return solver.Solve(problem, initialState, times);
    }

    /// <summary>The derivative estimator called <paramref name="method"/> ("fd2", "fd4", "savgol", "spectral", "tv", "spline").</summary>
    public static IDifferentiator Differentiator(string method) =>
        Differentiators.ByName(method)
        ?? throw new ArgumentException($"unknown differentiation method '{method}' (known: {string.Join(", ", Differentiators.Names)})");

    /// <summary>dX/dt of every trajectory of <paramref name="data"/>, one matrix per trajectory (same shape as its states).</summary>
    public static IReadOnlyList<double[,]> Derivatives(this TrajectoryData data, IDifferentiator differentiator) =>
        data.Trajectories.Select(t => differentiator.DifferentiateColumns(t.Times, t.States)).ToArray();

    /// <summary>The exact derivatives of every trajectory from the system's equations (for checking estimates).</summary>
    public static IReadOnlyList<double[,]> ExactDerivatives(this TrajectoryData data, DynamicalSystem system)
    {
        if (system.Dimension != data.Dimension)
            throw new ArgumentException($"{system.Name} has {system.Dimension} states but the data has {data.Dimension} columns");
        var f = system.ToOdeProblem().RightHandSide;
        return data.Trajectories.Select(t =>
        {
            var result = new double[t.Length, t.Dimension];
            var derivative = new double[t.Dimension];
            for (var k = 0; k < t.Length; k++)
            {
                f(t.Times[k], t.Row(k), derivative);
                for (var j = 0; j < t.Dimension; j++) result[k, j] = derivative[j];
            }
            return result;
        }).ToArray();
    }

    /// <summary>Reads several files (CSV, or Parquet by extension) as one data set, each file one or more trajectories.</summary>
    public static TrajectoryData Load(IReadOnlyList<string> paths, CsvReadOptions? options = null) => TrajectoryFiles.ReadMany(paths, options);

    /// <summary>Reads one file: Parquet when it ends in .parquet, CSV otherwise.</summary>
    public static TrajectoryData Load(string path, CsvReadOptions? options = null) => TrajectoryFiles.Read(path, options);

    /// <summary>Writes CSV (or Parquet for a .parquet path); refuses to replace an existing file unless <paramref name="overwrite"/>.</summary>
    public static void Save(string path, TrajectoryData data, bool overwrite = false) => TrajectoryFiles.Write(path, data, overwrite);

    /// <summary>Gaussian noise of std level × column RMS, seeded (see <see cref="Noise"/>).</summary>
    public static TrajectoryData AddNoise(this TrajectoryData data, double level, int seed) => Noise.AddGaussian(data, level, seed);
}
