namespace Discovery.Integration;

/// <summary>
/// The classical fourth-order Runge-Kutta method with a fixed step: every interval between requested times is split into
/// the fewest equal steps no longer than <see cref="Step"/>, so samples land exactly on the requested times.
/// </summary>
public sealed class RungeKutta4 : IOdeSolver
{
    /// <summary>A solver whose steps are at most <paramref name="step"/> long.</summary>
    public RungeKutta4(double step)
    {
        if (!(step > 0) || !double.IsFinite(step))
            throw new ArgumentOutOfRangeException(nameof(step), step, "the step must be positive and finite");
        Step = step;
    }

    /// <summary>Largest step taken.</summary>
    public double Step { get; }

    /// <inheritdoc />
    public string Name => "Runge-Kutta 4 (fixed step)";

    /// <inheritdoc />
    public OdeSolution Solve(OdeProblem problem, ReadOnlySpan<double> initialState, ReadOnlySpan<double> times)
    {
        var output = SolverSupport.StartOutput(problem, initialState, times);
        var f = problem.RightHandSide;
        var n = problem.Dimension;
        var y = initialState.ToArray();
        var k1 = new double[n];
        var k2 = new double[n];
        var k3 = new double[n];
        var k4 = new double[n];
        var stage = new double[n];
        var steps = 0;
        for (var k = 1; k < times.Length; k++)
        {
            var start = times[k - 1];
            var span = times[k] - start;
            var count = Math.Max(1, (int)Math.Ceiling(span / Step - 1e-9));
            var h = span / count;
            for (var s = 0; s < count; s++)
            {
                var t = start + s * h;
                f(t, y, k1);
                for (var i = 0; i < n; i++) stage[i] = y[i] + 0.5 * h * k1[i];
                f(t + 0.5 * h, stage, k2);
                for (var i = 0; i < n; i++) stage[i] = y[i] + 0.5 * h * k2[i];
                f(t + 0.5 * h, stage, k3);
                for (var i = 0; i < n; i++) stage[i] = y[i] + h * k3[i];
                f(s == count - 1 ? times[k] : t + h, stage, k4);
                var finite = true;
                for (var i = 0; i < n; i++)
                {
                    y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
                    finite &= double.IsFinite(y[i]);
                }
                steps++;
                if (!finite)
                    throw new OdeIntegrationException($"{Name}: the state became NaN or Inf at t = {t + h:G6} (step {h:G3} too large, or the solution blows up)", t + h);
            }
            for (var i = 0; i < n; i++) output[k, i] = y[i];
        }
        return new OdeSolution(times.ToArray(), output, new OdeStatistics(steps, 0, 4 * steps, 0, 0));
    }
}
