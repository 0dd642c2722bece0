using Discovery.Integration;

namespace Discovery.Tests.Integration;

/// <summary>Small problems with known behaviour, shared by the solver tests.</summary>
internal static class OdeTestProblems
{
    /// <summary>x' = -x, solution x0 e^{-t}.</summary>
    public static OdeProblem Decay { get; } = new(1, (_, x, dx) => dx[0] = -x[0], IsAutonomous: true);

    /// <summary>x' = v, v' = -x, solution (cos t, -sin t) from (1, 0); energy (x² + v²)/2 is conserved.</summary>
    public static OdeProblem Oscillator { get; } = new(2, (_, x, dx) =>
    {
        dx[0] = x[1];
        dx[1] = -x[0];
    }, IsAutonomous: true);

    /// <summary>x' = x cos t, solution exp(sin t) from 1: non-autonomous, non-linear in t.</summary>
    public static OdeProblem ExpSin { get; } = new(1, (t, x, dx) => dx[0] = x[0] * Math.Cos(t));

    /// <summary>Lorenz-63 with sigma 10, rho 28, beta 8/3.</summary>
    public static OdeProblem Lorenz { get; } = new(3, (_, x, dx) =>
    {
        dx[0] = 10 * (x[1] - x[0]);
        dx[1] = x[0] * (28 - x[2]) - x[1];
        dx[2] = x[0] * x[1] - 8.0 / 3 * x[2];
    }, IsAutonomous: true);

    /// <summary>Van der Pol x'' - mu (1 - x²) x' + x = 0 with mu = 1000: a stiff relaxation oscillator, period about 1614.</summary>
    public static OdeProblem StiffVanDerPol { get; } = new(2, (_, x, dx) =>
    {
        dx[0] = x[1];
        dx[1] = 1000 * (1 - x[0] * x[0]) * x[1] - x[0];
    }, IsAutonomous: true);

    /// <summary>Robertson's chemical kinetics: rate constants spanning nine orders of magnitude.</summary>
    public static OdeProblem Robertson { get; } = new(3, (_, x, dx) =>
    {
        dx[0] = -0.04 * x[0] + 1e4 * x[1] * x[2];
        dx[1] = 0.04 * x[0] - 1e4 * x[1] * x[2] - 3e7 * x[1] * x[1];
        dx[2] = 3e7 * x[1] * x[1];
    }, IsAutonomous: true);

    public static double[] Linspace(double start, double end, int count) =>
        Enumerable.Range(0, count).Select(k => start + (end - start) * k / (count - 1)).ToArray();
}
