namespace Discovery.Integration;

/// <summary>
/// RODAS4 (Hairer &amp; Wanner): a stiffly accurate, L-stable Rosenbrock method of order 4 with an embedded order-3 error
/// estimate, six stages and one LU decomposition per step. For stiff systems (chemical kinetics, relaxation oscillators,
/// fast-slow neurons) where explicit methods need tiny steps. Uses the problem's Jacobian when it has one, otherwise
/// forward differences; samples between steps by cubic Hermite interpolation (third order).
/// </summary>
public sealed class Rodas4(AdaptiveStepOptions? options = null) : IOdeSolver
{
    private const int Stages = 6;

    // Coefficients in the "transformed" form of Hairer & Wanner (ODE II, section IV.7):
    // (1/(h γ) I - J) K_i = f(t + α_i h, y + Σ_j A_ij K_j) + Σ_j (C_ij / h) K_j + γ_i h ∂f/∂t,  y1 = y + Σ M_j K_j.
    private const double Gamma = 0.25;
    private static readonly double[] Alpha = [0.0, 0.386, 0.210, 0.630, 1.0, 1.0];
    private static readonly double[] GammaSum = [0.25, -0.1043, 0.1035, -0.0362, 0.0, 0.0];
    private static readonly double[][] A =
    [
        [],
        [1.544],
        [0.9466785280815826, 0.2557011698983284],
        [3.314825187068521, 2.896124015972201, 0.9986419139977817],
        [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950],
        [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950, 1.0],
    ];
    private static readonly double[][] C =
    [
        [],
        [-5.6688],
        [-2.430093356833875, -0.2063599157091915],
        [-0.1073529058151375, -9.594562251023355, -20.47028614809616],
        [7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160],
        [8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054],
    ];
    // The solution weights equal the last row of A plus K_6 (stiffly accurate); the error estimate is K_6 itself.
    private static readonly double[] M = [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950, 1.0, 1.0];

    private const double Safety = 0.9, MinFactor = 0.2, MaxFactor = 6.0, RepeatedRejectionFactor = 0.1;
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>The error control in use.</summary>
    public AdaptiveStepOptions Options { get; } = options ?? new AdaptiveStepOptions(1e-6, 1e-8);

    /// <inheritdoc />
    public string Name => "Rodas4 (Rosenbrock, stiff)";

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
        var f0 = new double[n];
        var fNew = new double[n];
        var dfdt = new double[n];
        var jacobian = new double[n * n];
        var matrix = new double[n * n];
        var k = new double[Stages][];
        for (var s = 0; s < Stages; s++) k[s] = new double[n];
        var lu = new DenseLu(n);

        var t = times[0];
        var tEnd = times[^1];
        var evaluations = 0;
        var jacobians = 0;
        var decompositions = 0;
        var accepted = 0;
        var rejected = 0;
        f(t, y, f0);
        evaluations++;
        var h = Options.InitialStep ?? SolverSupport.InitialStep(f, t, y, f0, 3, rtol, atol, Options.MaxStep, tEnd - t, ref evaluations);
        var lastRejected = false;
        var nextOutput = 1;

        while (nextOutput < times.Length)
        {
            // Jacobian and time derivative at the start of the step, reused by every attempt of this step.
            if (problem.Jacobian is { } analytic) analytic(t, y, jacobian);
            else evaluations += FiniteDifferenceJacobian(f, t, y, f0, jacobian, stage, fNew);
            jacobians++;
            if (problem.IsAutonomous) Array.Clear(dfdt);
            else
            {
                var delta = Math.Sqrt(MachineEpsilon) * Math.Max(1e-5, Math.Abs(t));
                f(t + delta, y, dfdt);
                evaluations++;
                for (var i = 0; i < n; i++) dfdt[i] = (dfdt[i] - f0[i]) / delta;
            }

            while (true)
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

                // Iteration matrix 1/(h γ) I - J.
                var diagonal = 1.0 / (h * Gamma);
                for (var i = 0; i < n * n; i++) matrix[i] = -jacobian[i];
                for (var i = 0; i < n; i++) matrix[i * n + i] += diagonal;
                decompositions++;
                if (!lu.Factor(matrix))
                {
                    rejected++;
                    lastRejected = true;
                    h *= 0.5;
                    continue;
                }

                for (var s = 0; s < Stages; s++)
                {
                    var ks = k[s];
                    if (s == 0) f0.CopyTo(ks, 0);
                    else
                    {
                        for (var i = 0; i < n; i++)
                        {
                            var sum = y[i];
                            for (var j = 0; j < s; j++) sum += A[s][j] * k[j][i];
                            stage[i] = sum;
                        }
                        f(t + Alpha[s] * h, stage, ks);
                        evaluations++;
                        for (var i = 0; i < n; i++)
                        {
                            var sum = ks[i];
                            for (var j = 0; j < s; j++) sum += C[s][j] / h * k[j][i];
                            ks[i] = sum;
                        }
                    }
                    if (GammaSum[s] != 0 && !problem.IsAutonomous)
                        for (var i = 0; i < n; i++) ks[i] += GammaSum[s] * h * dfdt[i];
                    lu.Solve(ks);
                }
                for (var i = 0; i < n; i++)
                {
                    var sum = y[i];
                    for (var j = 0; j < Stages; j++) sum += M[j] * k[j][i];
                    yNew[i] = sum;
                }
                var error = SolverSupport.ErrorNorm(k[Stages - 1], y, yNew, rtol, atol);
                if (double.IsNaN(error))
                {
                    rejected++;
                    lastRejected = true;
                    h *= 0.1;
                    continue;
                }
                var factor = Math.Clamp(Safety / Math.Pow(Math.Max(error, 1e-10), 0.25), MinFactor, MaxFactor);
                if (error > 1.0)
                {
                    rejected++;
                    h *= lastRejected ? Math.Min(factor, RepeatedRejectionFactor) : factor;
                    lastRejected = true;
                    continue;
                }

                accepted++;
                var tNew = last ? tEnd : t + h;
                f(tNew, yNew, fNew);
                evaluations++;
                while (nextOutput < times.Length && times[nextOutput] <= tNew)
                {
                    if (times[nextOutput] == tNew)
                        for (var i = 0; i < n; i++) output[nextOutput, i] = yNew[i];
                    else
                    {
                        var theta = (times[nextOutput] - t) / h;
                        var theta2 = theta * theta;
                        var theta3 = theta2 * theta;
                        double h00 = 2 * theta3 - 3 * theta2 + 1, h10 = theta3 - 2 * theta2 + theta;
                        double h01 = -2 * theta3 + 3 * theta2, h11 = theta3 - theta2;
                        for (var i = 0; i < n; i++)
                            output[nextOutput, i] = h00 * y[i] + h10 * h * f0[i] + h01 * yNew[i] + h11 * h * fNew[i];
                    }
                    nextOutput++;
                }
                var hNext = h * factor;
                if (lastRejected) hNext = Math.Min(hNext, h);
                lastRejected = false;
                (y, yNew) = (yNew, y);
                (f0, fNew) = (fNew, f0);
                t = tNew;
                h = hNext;
                break;
            }
        }
        return new OdeSolution(outputTimes, output, new OdeStatistics(accepted, rejected, evaluations, jacobians, decompositions));
    }

    /// <summary>Forward-difference Jacobian, column by column; returns the number of evaluations used.</summary>
    internal static int FiniteDifferenceJacobian(OdeRightHandSide f, double t, double[] y, double[] f0, double[] jacobian,
        double[] shifted, double[] fShifted)
    {
        var n = y.Length;
        y.CopyTo(shifted, 0);
        for (var j = 0; j < n; j++)
        {
            var delta = Math.Sqrt(MachineEpsilon * Math.Max(1e-5, Math.Abs(y[j])));
            shifted[j] = y[j] + delta;
            f(t, shifted, fShifted);
            shifted[j] = y[j];
            for (var i = 0; i < n; i++) jacobian[i * n + j] = (fShifted[i] - f0[i]) / delta;
        }
        return n;
    }
}
