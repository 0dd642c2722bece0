namespace Discovery.Integration;

/// <summary>An ODE solver: integrates from <c>times[0]</c> and returns the solution sampled at every requested time.</summary>
public interface IOdeSolver
{
    /// <summary>Human-readable method name, e.g. "Dormand-Prince 5(4)".</summary>
    string Name { get; }

    /// <summary>
    /// Solves the problem from <paramref name="initialState"/> at <c>times[0]</c> and samples it at every entry of
    /// <paramref name="times"/> (strictly increasing, at least one entry; the first row is the initial state).
    /// Throws <see cref="OdeIntegrationException"/> when the integration cannot be completed.
    /// </summary>
    OdeSolution Solve(OdeProblem problem, ReadOnlySpan<double> initialState, ReadOnlySpan<double> times);
}

/// <summary>Error control of the adaptive solvers.</summary>
/// <param name="RelativeTolerance">Local error allowed relative to the size of each state variable.</param>
/// <param name="AbsoluteTolerance">Local error allowed where a state variable is near zero.</param>
/// <param name="InitialStep">First step size; null chooses one from the problem (Hairer's rule).</param>
/// <param name="MaxStep">Largest step size allowed.</param>
/// <param name="MaxSteps">Step attempts allowed before giving up.</param>
public sealed record AdaptiveStepOptions(
    double RelativeTolerance = 1e-8,
    double AbsoluteTolerance = 1e-10,
    double? InitialStep = null,
    double MaxStep = double.PositiveInfinity,
    int MaxSteps = 5_000_000)
{
    /// <summary>Tolerances 1e-8 relative, 1e-10 absolute.</summary>
    public static AdaptiveStepOptions Default { get; } = new();

    /// <summary>Tight tolerances (1e-12 both) for reference solutions and data generation.</summary>
    public static AdaptiveStepOptions Tight { get; } = new(1e-12, 1e-12);

    internal void Validate()
    {
        if (!(RelativeTolerance > 0) || !(AbsoluteTolerance >= 0) || RelativeTolerance >= 1)
            throw new ArgumentException($"tolerances must satisfy 0 < relative < 1 and absolute >= 0 (got {RelativeTolerance}, {AbsoluteTolerance})");
        if (InitialStep is { } h && !(h > 0))
            throw new ArgumentException($"the initial step must be positive (got {h})");
        if (!(MaxStep > 0)) throw new ArgumentException($"the maximum step must be positive (got {MaxStep})");
        if (MaxSteps < 1) throw new ArgumentException($"the step budget must be at least 1 (got {MaxSteps})");
    }
}

/// <summary>Helpers shared by the solvers: argument checks, error norms, the initial step guess.</summary>
internal static class SolverSupport
{
    public static void CheckArguments(OdeProblem problem, ReadOnlySpan<double> initialState, ReadOnlySpan<double> times)
    {
        if (initialState.Length != problem.Dimension)
            throw new ArgumentException($"the initial state has {initialState.Length} values but the problem has dimension {problem.Dimension}");
        foreach (var x in initialState)
            if (!double.IsFinite(x)) throw new ArgumentException("the initial state contains NaN or Inf");
        if (times.Length == 0) throw new ArgumentException("at least one output time is required");
        for (var k = 0; k < times.Length; k++)
        {
            if (!double.IsFinite(times[k])) throw new ArgumentException($"output time {k} is NaN or Inf");
            if (k > 0 && !(times[k] > times[k - 1]))
                throw new ArgumentException($"output times must increase strictly (times[{k - 1}] = {times[k - 1]}, times[{k}] = {times[k]})");
        }
    }

    /// <summary>Checks the arguments and returns the output table (one row per output time) with the initial state as
    /// its first row.</summary>
    public static double[,] StartOutput(OdeProblem problem, ReadOnlySpan<double> initialState, ReadOnlySpan<double> times)
    {
        CheckArguments(problem, initialState, times);
        var output = new double[times.Length, problem.Dimension];
        for (var i = 0; i < problem.Dimension; i++) output[0, i] = initialState[i];
        return output;
    }

    /// <summary>RMS of err_i / (atol + rtol * max(|a_i|, |b_i|)); NaN when anything is not finite.</summary>
    public static double ErrorNorm(ReadOnlySpan<double> error, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double rtol, double atol)
    {
        var sum = 0.0;
        for (var i = 0; i < error.Length; i++)
        {
            var scale = atol + rtol * Math.Max(Math.Abs(a[i]), Math.Abs(b[i]));
            var r = error[i] / scale;
            sum += r * r;
        }
        var norm = Math.Sqrt(sum / error.Length);
        return double.IsFinite(norm) ? norm : double.NaN;
    }

    /// <summary>
    /// Hairer's starting step: balances the size of the state, its derivative and an estimate of the second derivative
    /// so the first step's local error is about the tolerance for a method of the given order. Costs one evaluation.
    /// </summary>
    public static double InitialStep(OdeRightHandSide f, double t0, ReadOnlySpan<double> y0, ReadOnlySpan<double> f0,
        int order, double rtol, double atol, double maxStep, double span, ref int evaluations)
    {
        var n = y0.Length;
        double d0 = 0, d1 = 0;
        for (var i = 0; i < n; i++)
        {
            var sc = atol + rtol * Math.Abs(y0[i]);
            d0 += (y0[i] / sc) * (y0[i] / sc);
            d1 += (f0[i] / sc) * (f0[i] / sc);
        }
        d0 = Math.Sqrt(d0 / n);
        d1 = Math.Sqrt(d1 / n);
        var h0 = d0 < 1e-10 || d1 < 1e-10 ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.Min(Math.Min(h0, maxStep), span);
        Span<double> y1 = n <= 64 ? stackalloc double[n] : new double[n];
        Span<double> f1 = n <= 64 ? stackalloc double[n] : new double[n];
        for (var i = 0; i < n; i++) y1[i] = y0[i] + h0 * f0[i];
        f(t0 + h0, y1, f1);
        evaluations++;
        double d2 = 0;
        for (var i = 0; i < n; i++)
        {
            var sc = atol + rtol * Math.Abs(y0[i]);
            var r = (f1[i] - f0[i]) / sc;
            d2 += r * r;
        }
        d2 = Math.Sqrt(d2 / n) / h0;
        var dmax = Math.Max(d1, d2);
        var h1 = dmax <= 1e-15 || !double.IsFinite(dmax)
            ? Math.Max(1e-6, h0 * 1e-3)
            : Math.Pow(0.01 / dmax, 1.0 / (order + 1));
        return Math.Min(Math.Min(100 * h0, h1), Math.Min(maxStep, span));
    }

    /// <summary>True when the step h is too small to move t (relative to the floating-point spacing at t).</summary>
    public static bool StepUnderflows(double t, double h) => h < 1e-300 || h <= Math.Abs(t) * 1e-14 || t + 0.1 * h == t;

    public static double[] Copy(ReadOnlySpan<double> span) => span.ToArray();
}
