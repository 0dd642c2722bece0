using Discovery.Data;
using Discovery.Differentiation;
using Discovery.Integration;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.SparseRegression;

/// <summary>
/// A scalar field u(x, t) sampled on a grid: strictly increasing, evenly spaced positions <see cref="X"/> (a periodic
/// domain: the point after the last is the first again), increasing times, and <c>U[time, position]</c>. Immutable by
/// convention (arrays not copied).
/// </summary>
public sealed class SpatialField
{
    /// <summary>Wraps the grid and values; ArgumentException when they do not fit.</summary>
    public SpatialField(double[] x, double[] times, double[,] u, string field = "u", string space = "x")
    {
        if (x.Length < 4) throw new ArgumentException("a field needs at least 4 positions", nameof(x));
        if (times.Length < 2) throw new ArgumentException("a field needs at least 2 times", nameof(times));
        if (u.GetLength(0) != times.Length || u.GetLength(1) != x.Length)
            throw new ArgumentException($"u must be {times.Length} times x {x.Length} positions, got {u.GetLength(0)} x {u.GetLength(1)}", nameof(u));
        var dx = (x[^1] - x[0]) / (x.Length - 1);
        for (var j = 1; j < x.Length; j++)
            if (Math.Abs(x[j] - x[j - 1] - dx) > 1e-6 * dx) throw new ArgumentException("positions must be evenly spaced and increasing", nameof(x));
        for (var k = 1; k < times.Length; k++)
            if (!(times[k] > times[k - 1])) throw new ArgumentException("times must increase", nameof(times));
        if (field == space) throw new ArgumentException("the field and the space variable need different names");
        X = x;
        Times = times;
        U = u;
        FieldName = field;
        SpaceName = space;
    }

    /// <summary>Positions (evenly spaced, periodic).</summary>
    public double[] X { get; }

    /// <summary>Times.</summary>
    public double[] Times { get; }

    /// <summary><c>U[time, position]</c>.</summary>
    public double[,] U { get; }

    /// <summary>Name of the field, e.g. "u".</summary>
    public string FieldName { get; }

    /// <summary>Name of the space variable, e.g. "x".</summary>
    public string SpaceName { get; }

    /// <summary>Length of the periodic domain (positions span it without repeating the end point).</summary>
    public double Period => (X[^1] - X[0]) * X.Length / (X.Length - 1);

    /// <summary>The name of the k-th spatial derivative: u_x, u_xx, ...</summary>
    public string DerivativeName(int order) => $"{FieldName}_{new string(SpaceName[0], order)}";

    /// <summary>The k-th spatial derivative of one snapshot (spectral, periodic).</summary>
    public static double[] SpatialDerivative(double[] x, double[] values, int order)
    {
        var spectral = new SpectralDerivative(periodic: true);
        var result = values;
        for (var k = 0; k < order; k++) result = spectral.Differentiate(x, result);
        return result;
    }
}

/// <summary>
/// The PDE library for u_t = F(u, u_x, u_xx, ...): polynomials in u up to <see cref="Degree"/> (with the constant),
/// every spatial derivative up to <see cref="DerivativeOrder"/>, and every product of a polynomial term and a derivative
/// (u·u_x, u²·u_xx, ...), as PySINDy's PDELibrary with a polynomial function library.
/// </summary>
public sealed class PdeLibrary(string field = "u", string space = "x", int derivativeOrder = 3, int degree = 2, bool includeBias = true)
    : FeatureLibrary
{
    /// <summary>The field's name.</summary>
    public string Field { get; } = field;

    /// <summary>The space variable's name.</summary>
    public string Space { get; } = space;

    /// <summary>Highest spatial derivative.</summary>
    public int DerivativeOrder { get; } = derivativeOrder >= 1 ? derivativeOrder : throw new ArgumentOutOfRangeException(nameof(derivativeOrder));

    /// <summary>Highest power of the field.</summary>
    public int Degree { get; } = degree >= 1 ? degree : throw new ArgumentOutOfRangeException(nameof(degree));

    /// <summary>Whether the constant is included.</summary>
    public bool IncludeBias { get; } = includeBias;

    /// <inheritdoc />
    public override string Name => $"PDE (powers of {Field} to {Degree}, derivatives in {Space} to order {DerivativeOrder})";

    /// <summary>The input names the library needs: the field and its derivatives.</summary>
    public IReadOnlyList<string> Inputs =>
        new[] { Field }.Concat(Enumerable.Range(1, DerivativeOrder).Select(k => $"{Field}_{new string(Space[0], k)}")).ToArray();

    /// <inheritdoc />
    protected override IEnumerable<Expr> Generate(IReadOnlyList<string> inputs)
    {
        var names = Inputs;
        foreach (var name in names)
            if (!inputs.Contains(name)) throw new ArgumentException($"{Name} needs the input '{name}'");
        var powers = new PolynomialLibrary(Degree, includeBias: IncludeBias, variables: [Field]).Features(inputs);
        var derivatives = names.Skip(1).Select(ExprModule.variable).ToArray();
        foreach (var p in powers) yield return p;
        foreach (var d in derivatives)
        foreach (var p in powers)
            yield return ExprModule.multiply(p, d);
    }
}

/// <summary>
/// SINDy for a 1-D PDE u_t = F(u, u_x, u_xx, ...): the spatial derivatives of every snapshot are taken spectrally
/// (periodic domain), the time derivative at every position with the learner's differentiation method (or the weak form
/// in time), and the regression runs over all (position, time) samples: each position's time series is one
/// trajectory with the field as the state and its spatial derivatives as inputs.
/// </summary>
public static class PdeSindy
{
    /// <summary>Fits <paramref name="learner"/> (whose library should be a <see cref="PdeLibrary"/>) to the field.</summary>
    public static FittedSindy Fit(Sindy learner, SpatialField field, int derivativeOrder)
    {
        var (data, controls) = AsTrajectories(field, derivativeOrder);
        return learner.Fit(data, controls);
    }

    /// <summary>The field as trajectories (one per position) with the spatial derivatives as control inputs.</summary>
    public static (TrajectoryData Data, IReadOnlyList<string> Controls) AsTrajectories(SpatialField field, int derivativeOrder)
    {
        if (derivativeOrder < 1) throw new ArgumentOutOfRangeException(nameof(derivativeOrder), derivativeOrder, "at least the first derivative");
        var nt = field.Times.Length;
        var nx = field.X.Length;
        var columns = derivativeOrder + 1;
        var states = new double[nx][,];
        for (var j = 0; j < nx; j++) states[j] = new double[nt, columns];
        for (var k = 0; k < nt; k++)
        {
            var snapshot = new double[nx];
            for (var j = 0; j < nx; j++) snapshot[j] = field.U[k, j];
            var derivative = snapshot;
            for (var j = 0; j < nx; j++) states[j][k, 0] = snapshot[j];
            for (var order = 1; order <= derivativeOrder; order++)
            {
                derivative = SpatialField.SpatialDerivative(field.X, derivative, 1);
                for (var j = 0; j < nx; j++) states[j][k, order] = derivative[j];
            }
        }
        var names = new[] { field.FieldName }.Concat(Enumerable.Range(1, derivativeOrder).Select(field.DerivativeName)).ToArray();
        var trajectories = Enumerable.Range(0, nx)
            .Select(j => new Trajectory(field.Times, states[j], j.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        return (new TrajectoryData(names, trajectories, "t"), names.Skip(1).ToArray());
    }
}

/// <summary>
/// A simple pseudo-spectral solver for 1-D periodic PDEs u_t = F(u, u_x, u_xx, ...) given as a core expression:
/// spatial derivatives by FFT, the right-hand side by the core's evaluator over the grid, time stepping by the
/// project's Dormand-Prince 5(4) (method of lines). Enough for Burgers' equation u_t = −u·u_x + ν·u_xx at moderate
/// resolution; stiff fourth-order equations (Kuramoto-Sivashinsky) need many small steps.
/// </summary>
public static class SpectralPdeSolver
{
    /// <summary>
    /// Solves u_t = <paramref name="rightHandSide"/> (over the field and derivative names of <see cref="SpatialField"/>,
    /// e.g. <c>-u*u_x + 0.1*u_xx</c>) from <paramref name="initial"/> on the periodic grid <paramref name="x"/> and
    /// samples the solution at <paramref name="times"/>.
    /// </summary>
    public static SpatialField Solve(Expr rightHandSide, double[] x, double[] initial, double[] times, string field = "u", string space = "x",
        AdaptiveStepOptions? tolerances = null)
    {
        if (initial.Length != x.Length) throw new ArgumentException($"{x.Length} positions but {initial.Length} initial values");
        var probe = new SpatialField(x, [0, 1], new double[2, x.Length], field, space);
        var order = 0;
        var names = new List<string> { field };
        foreach (var v in ExprModule.variables(rightHandSide))
        {
            var matched = false;
            for (var k = 1; k <= 8; k++)
                if (v == probe.DerivativeName(k))
                {
                    order = Math.Max(order, k);
                    matched = true;
                }
            if (!matched && v != field) throw new ArgumentException($"the right-hand side uses '{v}'; use {field} and {probe.DerivativeName(1)}, {probe.DerivativeName(2)}, ...");
        }
        for (var k = 1; k <= order; k++) names.Add(probe.DerivativeName(k));
        var compiled = Compile.ToProgram(ListModule.OfSeq(names), rightHandSide);
        if (compiled.IsError) throw new ArgumentException(compiled.ErrorValue);
        var program = compiled.ResultValue;
        var n = x.Length;
        var problem = new OdeProblem(n, (_, state, derivative) =>
        {
            var columns = new double[names.Count][];
            columns[0] = state.ToArray();
            for (var k = 1; k <= order; k++) columns[k] = SpatialField.SpatialDerivative(x, columns[k - 1], 1);
            var values = Evaluator.Evaluate(program, columns);
            values.Values.AsSpan().CopyTo(derivative);
        }, null, true);
        var solution = new DormandPrince54(tolerances ?? new AdaptiveStepOptions(1e-8, 1e-10)).Solve(problem, initial, times);
        return new SpatialField(x, solution.Times, solution.States, field, space);
    }

    /// <summary>
    /// Burgers' equation u_t = −u·u_x + ν·u_xx on [−8, 8) with u(x, 0) = exp(−(x + 2)²), as in PySINDy's example
    /// (which uses ν = 0.1, 256 points and t in [0, 10] at dt 0.1).
    /// </summary>
    public static SpatialField Burgers(int points = 256, double viscosity = 0.1, double timeEnd = 10, double timeStep = 0.1)
    {
        var x = Enumerable.Range(0, points).Select(j => -8 + 16.0 * j / points).ToArray();
        var u0 = x.Select(v => Math.Exp(-(v + 2) * (v + 2))).ToArray();
        var count = (int)Math.Round(timeEnd / timeStep) + 1;
        var times = Enumerable.Range(0, count).Select(k => k * timeStep).ToArray();
        var u = ExprModule.variable("u");
        var rhs = ExprModule.add(ExprModule.negate(ExprModule.multiply(u, ExprModule.variable("u_x"))),
            ExprModule.multiply(ExprModule.approx(viscosity), ExprModule.variable("u_xx")));
        return Solve(rhs, x, u0, times);
    }
}
