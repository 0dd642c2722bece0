using Discovery.Data;
using Discovery.Integration;
using Discovery.SparseRegression;
using Discovery.Systems;
using Symbolic;

namespace Discovery.Neural.Pinn;

/// <summary>The true form of a hidden term: a template with named coefficients (e.g. <c>a*x*y</c>) and their values.</summary>
public sealed record HiddenTruth(string Template, IReadOnlyDictionary<string, double> Coefficients)
{
    /// <summary>The template with the coefficients' values.</summary>
    public Expr Expression => Simplify.simplify(ExprModule.mapLeaves(Microsoft.FSharp.Core.FuncConvert.FromFunc<Expr, Expr>(
        leaf => leaf is Expr.Parameter p ? ExprModule.approx(Coefficients[p.name]) : leaf), Algebra.Parse(Template, Coefficients.Keys.ToArray())));
}

/// <summary>A ready-made hidden-term problem: the equations with their hidden terms, simulated data and the truth of each
/// hidden term (for recovery checks).</summary>
public sealed record PinnExample(string Name, IReadOnlyList<string> Equations, PinnData Data, IReadOnlyDictionary<string, HiddenTruth> Truth,
    string Time = "t", IReadOnlyList<string>? Fit = null)
{
    /// <summary>The problem parsed against the example's data.</summary>
    public PinnProblem Problem()
    {
        var columns = new List<string> { Time };
        if (Data.Space is not null) columns.Add("x");
        columns.AddRange(Data.States.Keys);
        return PinnProblem.Parse(Equations, columns, Time, Data.Space is null ? null : "x", Fit);
    }
}

/// <summary>
/// The examples of the universal-PINN paper and one of ours: Lotka-Volterra with the interaction terms hidden, Burgers'
/// equation with the advection term hidden, and the spruce-budworm model with its saturating predation term hidden.
/// </summary>
public static class PinnExamples
{
    /// <summary>
    /// Lotka-Volterra (the zoo's parameters: x' = 1.3x − 0.9xy, y' = −1.8y + 0.8xy, from (0.44249296, 4.6280594)),
    /// <paramref name="points"/> samples evenly spaced on [0, <paramref name="timeEnd"/>] (the first is the initial
    /// condition) with Gaussian noise of std <paramref name="noise"/> × RMS per state; hidden h1 = −0.9xy, h2 = 0.8xy.
    /// </summary>
    public static PinnExample LotkaVolterra(int points = 20, double noise = 0.01, int seed = 1, double timeEnd = 5.0)
    {
        var system = Dynamics.System("lotka-volterra");
        var p = system.Parameters.ToDictionary(q => q.Name, q => q.Value);
        var data = Simulate(system, points, timeEnd, noise, seed);
        var g = System.Globalization.CultureInfo.InvariantCulture;
        return new PinnExample("lotka-volterra",
            [$"x' = {p["alpha"].ToString(g)}*x + h1(x, y)", $"y' = -{p["delta"].ToString(g)}*y + h2(x, y)"],
            data,
            new Dictionary<string, HiddenTruth>
            {
                ["h1"] = new("a*x*y", new Dictionary<string, double> { ["a"] = -p["beta"] }),
                ["h2"] = new("a*x*y", new Dictionary<string, double> { ["a"] = p["gamma"] }),
            });
    }

    /// <summary>
    /// The spruce-budworm model x' = r x (1 − x/K) − x²/(1 + x²) (Ludwig, Jones and Holling 1978) with r = 0.6, K = 10
    /// from x = 0.5 over [0, <paramref name="timeEnd"/>] (by t = 45 it has passed the bottleneck near x = 1 and settled
    /// near the upper equilibrium 7.9, so the data spans the whole sigmoid): the logistic part is known, the saturating predation term
    /// h1 = −x²/(1 + x²) is hidden.
    /// </summary>
    public static PinnExample Budworm(int points = 20, double noise = 0.01, int seed = 1, double timeEnd = 45.0)
    {
        var system = Dynamics.Define("x' = r*x*(1 - x/K) - x^2/(1 + x^2)", [new("r", 0.6), new("K", 10.0)], initialState: [0.5]);
        var data = Simulate(system, points, timeEnd, noise, seed);
        return new PinnExample("budworm", ["x' = 0.6*x*(1 - x/10) + h1(x)"], data,
            new Dictionary<string, HiddenTruth> { ["h1"] = new("a*x^2/(1 + b*x^2)", new Dictionary<string, double> { ["a"] = -1, ["b"] = 1 }) });
    }

    /// <summary>
    /// Burgers' equation u_t = ν u_xx − u u_x on the periodic grid of <paramref name="nx"/> points in [−1, 1) with
    /// u(x, 0) = −sin(πx) (Raissi et al.'s set-up), sampled at <paramref name="nt"/> times in [0, <paramref name="timeEnd"/>]
    /// (before the shock steepens for small ν); the advection term h1 = −u u_x is hidden. Noise: std = level × RMS.
    /// </summary>
    public static PinnExample Burgers(int nx = 64, int nt = 11, double timeEnd = 0.25, double viscosity = 0.01 / Math.PI,
        double noise = 0.0, int seed = 1)
    {
        var x = Enumerable.Range(0, nx).Select(j => -1 + 2.0 * j / nx).ToArray();
        var u0 = x.Select(v => -Math.Sin(Math.PI * v)).ToArray();
        var times = Enumerable.Range(0, nt).Select(k => timeEnd * k / (nt - 1)).ToArray();
        var u = ExprModule.variable("u");
        var rhs = ExprModule.add(ExprModule.negate(ExprModule.multiply(u, ExprModule.variable("u_x"))),
            ExprModule.multiply(ExprModule.approx(viscosity), ExprModule.variable("u_xx")));
        var field = SpectralPdeSolver.Solve(rhs, x, u0, times);
        var rows = nx * nt;
        var t = new double[rows];
        var xs = new double[rows];
        var values = new double[rows];
        for (var k = 0; k < nt; k++)
            for (var j = 0; j < nx; j++)
            {
                t[k * nx + j] = times[k];
                xs[k * nx + j] = x[j];
                values[k * nx + j] = field.U[k, j];
            }
        if (noise > 0)
        {
            var rms = Math.Sqrt(values.Average(v => v * v));
            var random = new Random(seed);
            for (var k = 0; k < rows; k++) values[k] += noise * rms * Noise.StandardNormal(random);
        }
        var nu = viscosity.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return new PinnExample("burgers", [$"u_t = {nu}*u_xx + h1(u, u_x)"], new PinnData(t, new Dictionary<string, double[]> { ["u"] = values }, xs),
            new Dictionary<string, HiddenTruth> { ["h1"] = new("a*u*u_x", new Dictionary<string, double> { ["a"] = -1 }) });
    }

    private static PinnData Simulate(DynamicalSystem system, int points, double timeEnd, double noise, int seed)
    {
        if (points < 2) throw new ArgumentException($"at least 2 points are needed (got {points})");
        var times = Enumerable.Range(0, points).Select(k => timeEnd * k / (points - 1)).ToArray();
        var solution = new DormandPrince54(new AdaptiveStepOptions(1e-10, 1e-10)).Solve(system.ToOdeProblem(), system.InitialState, times);
        var data = new TrajectoryData(system.StateNames, new Trajectory(solution.Times, solution.States));
        if (noise > 0) data = Noise.AddGaussian(data, noise, seed);
        return PinnData.FromTrajectory(data);
    }
}
