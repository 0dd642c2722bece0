namespace Discovery.Integration;

/// <summary>
/// The adaptive explicit Runge-Kutta pair of Dormand and Prince, order 5 with an embedded order-4 error estimate
/// (local extrapolation), PI step-size control, first-same-as-last stages, and Hairer's fourth-order continuous extension
/// for sampling at requested times without shortening steps. The workhorse for non-stiff systems.
/// </summary>
public sealed class DormandPrince54(AdaptiveStepOptions? options = null) : IOdeSolver
{
    // Butcher tableau (Dormand & Prince 1980).
    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private const double A71 = 35.0 / 384, A73 = 500.0 / 1113, A74 = 125.0 / 192, A75 = -2187.0 / 6784, A76 = 11.0 / 84;
    // Difference between the fifth- and fourth-order weights.
    private const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;
    // Continuous extension (Hairer, Nørsett & Wanner, DOPRI5).
    private const double D1 = -12715105075.0 / 11282082432, D3 = 87487479700.0 / 32700410799, D4 = -10690763975.0 / 1880347072,
        D5 = 701980252875.0 / 199316789632, D6 = -1453857185.0 / 822651844, D7 = 69997945.0 / 29380423;

    // PI controller constants (Hairer's defaults for DOPRI5).
    private const double Safety = 0.9, Beta = 0.04, Exponent = 0.2 - Beta * 0.75, MinFactor = 0.2, MaxFactor = 10.0;

    /// <summary>The error control in use.</summary>
    public AdaptiveStepOptions Options { get; } = options ?? AdaptiveStepOptions.Default;

    /// <inheritdoc />
    public string Name => "Dormand-Prince 5(4)";

    /// <inheritdoc />
    public OdeSolution Solve(OdeProblem problem, ReadOnlySpan<double> initialState, ReadOnlySpan<double> times)
    {
        Options.Validate();
        var output = SolverSupport.StartOutput(problem, initialState, times);
        var f = problem.RightHandSide;
        var n = problem.Dimension;
        var rtol = Options.RelativeTolerance;
        var atol = Options.AbsoluteTolerance;

        var outputTimes = times.ToArray();
        if (times.Length == 1) return new OdeSolution(outputTimes, output, new OdeStatistics(0, 0, 0, 0, 0));

        var y = initialState.ToArray();
        var yNew = new double[n];
        var stage = new double[n];
        var errorVector = new double[n];
        var k1 = new double[n];
        var k2 = new double[n];
        var k3 = new double[n];
        var k4 = new double[n];
        var k5 = new double[n];
        var k6 = new double[n];
        var k7 = new double[n];
        var dense = new double[5 * n];

        var t = times[0];
        var tEnd = times[^1];
        var evaluations = 0;
        f(t, y, k1);
        evaluations++;
        var h = Options.InitialStep ?? SolverSupport.InitialStep(f, t, y, k1, 5, rtol, atol, Options.MaxStep, tEnd - t, ref evaluations);
        var accepted = 0;
        var rejected = 0;
        var previousError = 1e-4;
        var lastRejected = false;
        var nextOutput = 1;

        while (nextOutput < times.Length)
        {
            if (accepted + rejected >= Options.MaxSteps)
                throw new OdeIntegrationException($"{Name}: gave up after {Options.MaxSteps} steps at t = {t:G6} (raise MaxSteps or loosen the tolerances)", t);
            h = Math.Min(h, Options.MaxStep);
            var last = false;
            if (t + 1.01 * h >= tEnd)
            {
                h = tEnd - t;
                last = true;
            }
            if (SolverSupport.StepUnderflows(t, h))
                throw new OdeIntegrationException($"{Name}: the step size fell to {h:G3} at t = {t:G6}; the solution may blow up there", t);

            for (var i = 0; i < n; i++) stage[i] = y[i] + h * A21 * k1[i];
            f(t + C2 * h, stage, k2);
            for (var i = 0; i < n; i++) stage[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
            f(t + C3 * h, stage, k3);
            for (var i = 0; i < n; i++) stage[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
            f(t + C4 * h, stage, k4);
            for (var i = 0; i < n; i++) stage[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
            f(t + C5 * h, stage, k5);
            for (var i = 0; i < n; i++) stage[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
            var tNew = last ? tEnd : t + h;
            f(tNew, stage, k6);
            for (var i = 0; i < n; i++) yNew[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
            f(tNew, yNew, k7);
            evaluations += 6;
            for (var i = 0; i < n; i++)
                errorVector[i] = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
            var error = SolverSupport.ErrorNorm(errorVector, y, yNew, rtol, atol);

            if (double.IsNaN(error))
            {
                // Something overflowed inside the step: try a much smaller one.
                rejected++;
                lastRejected = true;
                h *= 0.1;
                continue;
            }

            var growth = Math.Pow(error, Exponent);
            if (error <= 1.0)
            {
                accepted++;
                var factor = growth / Math.Pow(previousError, Beta);
                factor = Math.Clamp(factor / Safety, 1.0 / MaxFactor, 1.0 / MinFactor);
                var hNext = h / factor;
                if (lastRejected) hNext = Math.Min(hNext, h);
                previousError = Math.Max(error, 1e-4);
                lastRejected = false;

                if (times[nextOutput] <= tNew)
                {
                    PrepareDense(dense, y, yNew, k1, k3, k4, k5, k6, k7, h, n);
                    while (nextOutput < times.Length && times[nextOutput] <= tNew)
                    {
                        if (times[nextOutput] == tNew)
                            for (var i = 0; i < n; i++) output[nextOutput, i] = yNew[i];
                        else
                        {
                            var theta = (times[nextOutput] - t) / h;
                            var theta1 = 1 - theta;
                            for (var i = 0; i < n; i++)
                                output[nextOutput, i] = dense[i] + theta * (dense[n + i] + theta1 * (dense[2 * n + i]
                                    + theta * (dense[3 * n + i] + theta1 * dense[4 * n + i])));
                        }
                        nextOutput++;
                    }
                }

                (y, yNew) = (yNew, y);
                (k1, k7) = (k7, k1);
                t = tNew;
                h = hNext;
            }
            else
            {
                rejected++;
                lastRejected = true;
                h /= Math.Min(1.0 / MinFactor, growth / Safety);
            }
        }
        return new OdeSolution(outputTimes, output, new OdeStatistics(accepted, rejected, evaluations, 0, 0));
    }

    private static void PrepareDense(double[] dense, double[] y, double[] yNew, double[] k1, double[] k3, double[] k4,
        double[] k5, double[] k6, double[] k7, double h, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var difference = yNew[i] - y[i];
            var bspl = h * k1[i] - difference;
            dense[i] = y[i];
            dense[n + i] = difference;
            dense[2 * n + i] = bspl;
            dense[3 * n + i] = difference - h * k7[i] - bspl;
            dense[4 * n + i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
        }
    }
}
