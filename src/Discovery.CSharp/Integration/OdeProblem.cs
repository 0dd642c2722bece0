namespace Discovery.Integration;

/// <summary>The right-hand side of dx/dt = f(t, x): writes f(t, state) into <paramref name="derivative"/>.</summary>
/// <remarks>Must not keep references to the spans; it is called many times per step with scratch buffers.</remarks>
public delegate void OdeRightHandSide(double t, ReadOnlySpan<double> state, Span<double> derivative);

/// <summary>
/// The Jacobian df/dx at (t, state), written row-major into <paramref name="jacobian"/> (n × n):
/// <c>jacobian[i * n + j] = ∂f_i/∂x_j</c>.
/// </summary>
public delegate void OdeJacobian(double t, ReadOnlySpan<double> state, Span<double> jacobian);

/// <summary>
/// An initial-value problem's equations: dimension, right-hand side and (optionally) its Jacobian. Solvers that need a
/// Jacobian and are not given one approximate it by finite differences.
/// </summary>
/// <param name="Dimension">Number of state variables (at least 1).</param>
/// <param name="RightHandSide">f(t, x).</param>
/// <param name="Jacobian">df/dx, or null to let a stiff solver approximate it.</param>
/// <param name="IsAutonomous">True when f does not depend on t (saves a time-derivative evaluation in stiff solvers).</param>
public sealed record OdeProblem(int Dimension, OdeRightHandSide RightHandSide, OdeJacobian? Jacobian = null, bool IsAutonomous = false)
{
    /// <summary>Number of state variables (at least 1).</summary>
    public int Dimension { get; } = Dimension >= 1
        ? Dimension
        : throw new ArgumentOutOfRangeException(nameof(Dimension), Dimension, "an ODE needs at least one state variable");
}

/// <summary>Work done by a solver, for reports and for tests that check a solver is efficient on a problem.</summary>
/// <param name="AcceptedSteps">Steps taken.</param>
/// <param name="RejectedSteps">Step attempts whose error estimate was too large.</param>
/// <param name="FunctionEvaluations">Calls of the right-hand side (including those for finite-difference Jacobians).</param>
/// <param name="JacobianEvaluations">Jacobians formed (analytic or finite-difference).</param>
/// <param name="Decompositions">LU decompositions of the iteration matrix.</param>
public sealed record OdeStatistics(
    int AcceptedSteps, int RejectedSteps, int FunctionEvaluations, int JacobianEvaluations, int Decompositions);

/// <summary>
/// The solution sampled at the requested times: <c>States[k, i]</c> is state variable i at <c>Times[k]</c>.
/// </summary>
public sealed class OdeSolution
{
    /// <summary>Wraps arrays produced by a solver (not copied).</summary>
    public OdeSolution(double[] times, double[,] states, OdeStatistics statistics)
    {
        if (states.GetLength(0) != times.Length)
            throw new ArgumentException($"{times.Length} times but {states.GetLength(0)} state rows", nameof(states));
        Times = times;
        States = states;
        Statistics = statistics;
    }

    /// <summary>The sample times (as requested, first = initial time).</summary>
    public double[] Times { get; }

    /// <summary>States, one row per time, one column per state variable.</summary>
    public double[,] States { get; }

    /// <summary>Work the solver did.</summary>
    public OdeStatistics Statistics { get; }

    /// <summary>Number of state variables.</summary>
    public int Dimension => States.GetLength(1);

    /// <summary>The state at sample <paramref name="index"/> (a copy).</summary>
    public double[] StateAt(int index)
    {
        var row = new double[Dimension];
        for (var i = 0; i < row.Length; i++) row[i] = States[index, i];
        return row;
    }

    /// <summary>The last sampled state (a copy).</summary>
    public double[] FinalState => StateAt(Times.Length - 1);

    /// <summary>State variable <paramref name="variable"/> over time (a copy).</summary>
    public double[] Column(int variable)
    {
        var column = new double[Times.Length];
        for (var k = 0; k < column.Length; k++) column[k] = States[k, variable];
        return column;
    }
}

/// <summary>
/// A solver gave up: the step size underflowed (the solution probably blows up), the step budget ran out, or the state
/// became NaN/Inf. <see cref="Time"/> is how far it got.
/// </summary>
public sealed class OdeIntegrationException(string message, double time) : Exception(message)
{
    /// <summary>The time reached when the solver stopped.</summary>
    public double Time { get; } = time;
}
