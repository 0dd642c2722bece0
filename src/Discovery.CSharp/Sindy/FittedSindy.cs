using System.Globalization;
using System.Text;
using Discovery.Data;
using Discovery.Integration;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.SparseRegression;

/// <summary>One term of a fitted equation and how sure the fit is of it.</summary>
/// <param name="Feature">The library feature, e.g. <c>x*y</c>.</param>
/// <param name="Coefficient">Its coefficient (0 when the term is not in the model).</param>
/// <param name="InclusionProbability">Fraction of ensemble models that selected it (null without an ensemble).</param>
/// <param name="Low">Lower end of the ensemble's coefficient interval (null without an ensemble).</param>
/// <param name="High">Upper end of the interval.</param>
public sealed record TermStatistics(Expr Feature, double Coefficient, double? InclusionProbability, double? Low, double? High);

/// <summary>
/// A fitted SINDy model: the equations x_i' = Σ_j Ξ_ij θ_j(x, u) as core expressions (they print in every format, can
/// be simplified and compared), the coefficients, and what the model can do: <see cref="Predict(double[,])"/>
/// derivatives, <see cref="Simulate"/> the discovered equations, <see cref="Score"/> them against data. Immutable.
/// Equations replaced by <see cref="Refinement"/> need not be linear in the library; every method works from the
/// equations, so refined models predict and simulate the same way.
/// </summary>
public sealed class FittedSindy
{
    private readonly double[][] _coefficients;
    private readonly Expr[] _equations;
    private readonly bool[] _refined;
    private readonly double[] _trainingR2;

    internal FittedSindy(Sindy learner, SindyProblem problem, SparseFit fit)
        : this(learner, problem.StateNames.ToArray(), problem.ControlNames.ToArray(), problem.InputNames.ToArray(), problem.Features.ToArray(),
            fit.Raw.Select(r => (double[])r.Clone()).ToArray(), null, new bool[problem.StateNames.Count], fit.TrainingR2.ToArray(),
            fit.Ensemble, fit.TrimmedRows, fit.Iterations, fit.Converged, problem.IsWeakForm)
    {
    }

    private FittedSindy(Sindy learner, string[] states, string[] controls, string[] inputs, Expr[] features, double[][] coefficients,
        Expr[]? equations, bool[] refined, double[] trainingR2, EnsembleStatistics? ensemble, IReadOnlyList<int> trimmed, int iterations,
        bool converged, bool weak)
    {
        Learner = learner;
        StateNames = states;
        ControlNames = controls;
        InputNames = inputs;
        Features = features;
        FeatureNames = features.Select(FeatureMatrix.NameOf).ToArray();
        _coefficients = coefficients;
        _equations = equations ?? coefficients.Select(row => LinearCombination(row, features)).ToArray();
        _refined = refined;
        _trainingR2 = trainingR2;
        Ensemble = ensemble;
        TrimmedRows = trimmed;
        Iterations = iterations;
        Converged = converged;
        IsWeakForm = weak;
        Equations = states.Select((s, i) => EquationModule.derivative(s, _equations[i])).ToArray();
    }

    /// <summary>The learner (optimizer, library, differentiation) that produced this model.</summary>
    public Sindy Learner { get; }

    /// <summary>The modelled states, in equation order.</summary>
    public IReadOnlyList<string> StateNames { get; }

    /// <summary>Control inputs the equations may use (not modelled).</summary>
    public IReadOnlyList<string> ControlNames { get; }

    /// <summary>Every input of the equations (states and controls), in the data's column order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The library's features.</summary>
    public IReadOnlyList<Expr> Features { get; }

    /// <summary>The features in infix, e.g. "x*y".</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The equations x' = f(x, u), one per state, as core equations.</summary>
    public IReadOnlyList<Equation> Equations { get; }

    /// <summary>The right-hand side of state <paramref name="target"/>'s equation.</summary>
    public Expr RightHandSide(int target) => _equations[target];

    /// <summary>The right-hand side of the equation of the state called <paramref name="state"/>.</summary>
    public Expr RightHandSide(string state)
    {
        var index = Array.IndexOf(StateNames.ToArray(), state);
        return index >= 0 ? _equations[index] : throw new KeyNotFoundException($"no state '{state}' (states: {string.Join(", ", StateNames)})");
    }

    /// <summary>Coefficients <c>[state, feature]</c> of the sparse regression (a copy).</summary>
    public double[,] Coefficients
    {
        get
        {
            var result = new double[_coefficients.Length, Features.Count];
            for (var i = 0; i < _coefficients.Length; i++)
            for (var j = 0; j < Features.Count; j++)
                result[i, j] = _coefficients[i][j];
            return result;
        }
    }

    /// <summary>The coefficient of a feature (by infix name, e.g. "x*y") in a state's equation; 0 when absent.</summary>
    public double Coefficient(string state, string feature)
    {
        var i = Array.IndexOf(StateNames.ToArray(), state);
        var j = Array.IndexOf(FeatureNames.ToArray(), feature);
        if (i < 0) throw new KeyNotFoundException($"no state '{state}' (states: {string.Join(", ", StateNames)})");
        if (j < 0) throw new KeyNotFoundException($"no feature '{feature}' in the library");
        return _coefficients[i][j];
    }

    /// <summary>Number of non-zero coefficients of a state's equation.</summary>
    public int NonZero(int target) => _coefficients[target].Count(c => c != 0);

    /// <summary>Number of non-zero coefficients over all equations (PySINDy's complexity).</summary>
    public int Complexity => Enumerable.Range(0, StateNames.Count).Sum(NonZero);

    /// <summary>R² per state on the rows fitted (derivative samples, or weak-form windows).</summary>
    public IReadOnlyList<double> TrainingR2 => _trainingR2;

    /// <summary>Ensemble statistics when the optimizer was an ensemble.</summary>
    public EnsembleStatistics? Ensemble { get; }

    /// <summary>Rows left out as outliers by SR3 trimming.</summary>
    public IReadOnlyList<int> TrimmedRows { get; }

    /// <summary>Optimizer iterations.</summary>
    public int Iterations { get; }

    /// <summary>False when the optimizer stopped at its iteration limit.</summary>
    public bool Converged { get; }

    /// <summary>True when fitted in the weak form.</summary>
    public bool IsWeakForm { get; }

    /// <summary>Whether each equation was replaced by symbolic-regression refinement.</summary>
    public IReadOnlyList<bool> Refined => _refined;

    /// <summary>
    /// The terms of state <paramref name="target"/>'s equation with their coefficients and, for ensembles, inclusion
    /// probabilities and intervals. With <paramref name="includeZero"/>, every library feature is listed.
    /// </summary>
    public IReadOnlyList<TermStatistics> Terms(int target, bool includeZero = false)
    {
        var result = new List<TermStatistics>();
        for (var j = 0; j < Features.Count; j++)
        {
            var c = _coefficients[target][j];
            var ensembleSaw = Ensemble is { } e && e.InclusionProbability[target, j] > 0;
            if (c == 0 && !includeZero && !ensembleSaw) continue;
            result.Add(Ensemble is { } s
                ? new TermStatistics(Features[j], c, s.InclusionProbability[target, j], s.Low[target, j], s.High[target, j])
                : new TermStatistics(Features[j], c, null, null, null));
        }
        return result;
    }

    /// <summary>
    /// The modelled derivatives at the given rows of inputs (<c>inputs[row, column]</c>, columns in
    /// <see cref="InputNames"/> order): a rows × states matrix.
    /// </summary>
    public double[,] Predict(double[,] inputs)
    {
        if (inputs.GetLength(1) != InputNames.Count)
            throw new ArgumentException($"expected {InputNames.Count} input columns ({string.Join(", ", InputNames)}), got {inputs.GetLength(1)}");
        var rows = inputs.GetLength(0);
        var columns = new double[InputNames.Count][];
        for (var v = 0; v < columns.Length; v++)
        {
            columns[v] = new double[rows];
            for (var k = 0; k < rows; k++) columns[v][k] = inputs[k, v];
        }
        var values = FeatureMatrix.Evaluate(_equations, InputNames, columns);
        var result = new double[rows, StateNames.Count];
        for (var i = 0; i < values.Length; i++)
        for (var k = 0; k < rows; k++)
            result[k, i] = values[i][k];
        return result;
    }

    /// <summary>The modelled derivatives along every trajectory of <paramref name="data"/> (its columns by name).</summary>
    public IReadOnlyList<double[,]> Predict(TrajectoryData data)
    {
        var map = InputNames.Select(name =>
        {
            var index = data.IndexOf(name);
            return index >= 0 ? index : throw new ArgumentException($"the data has no column '{name}' ({string.Join(", ", data.StateNames)})");
        }).ToArray();
        return data.Trajectories.Select(t =>
        {
            var inputs = new double[t.Length, map.Length];
            for (var k = 0; k < t.Length; k++)
            for (var v = 0; v < map.Length; v++)
                inputs[k, v] = t.States[k, map[v]];
            return Predict(inputs);
        }).ToArray();
    }

    /// <summary>
    /// R² of the modelled derivatives against the derivatives estimated from <paramref name="data"/> with the learner's
    /// differentiation method, per state (all trajectories stacked).
    /// </summary>
    public double[] ScorePerState(TrajectoryData data)
    {
        var predicted = Predict(data);
        var result = new double[StateNames.Count];
        for (var i = 0; i < StateNames.Count; i++)
        {
            var column = data.IndexOf(StateNames[i]);
            var actual = new List<double>();
            var model = new List<double>();
            for (var r = 0; r < data.Trajectories.Count; r++)
            {
                var t = data.Trajectories[r];
                actual.AddRange(Learner.Differentiation.Differentiate(t.Times, t.Column(column)));
                for (var k = 0; k < t.Length; k++) model.Add(predicted[r][k, i]);
            }
            result[i] = Metrics.R2(actual.ToArray(), model.ToArray());
        }
        return result;
    }

    /// <summary>The mean over states of <see cref="ScorePerState"/> (scikit-learn's uniform average, as PySINDy's score).</summary>
    public double Score(TrajectoryData data) => ScorePerState(data).Average();

    /// <summary>
    /// Integrates the discovered equations from <paramref name="initialState"/> (one value per state) and samples the
    /// solution at <paramref name="times"/> with Dormand-Prince 5(4). <paramref name="control"/> gives the control
    /// inputs at a time (required when the model has controls). Throws <see cref="OdeIntegrationException"/> when the
    /// model blows up.
    /// </summary>
    public Trajectory Simulate(double[] initialState, double[] times, Func<double, double[]>? control = null,
        AdaptiveStepOptions? tolerances = null)
    {
        if (initialState.Length != StateNames.Count)
            throw new ArgumentException($"the initial state has {initialState.Length} values for {StateNames.Count} states ({string.Join(", ", StateNames)})");
        if (ControlNames.Count > 0 && control is null)
            throw new ArgumentException($"the model has control inputs ({string.Join(", ", ControlNames)}); give their values over time");
        var stateSlot = StateNames.Select(s => Array.IndexOf(InputNames.ToArray(), s)).ToArray();
        var controlSlot = ControlNames.Select(c => Array.IndexOf(InputNames.ToArray(), c)).ToArray();
        var functions = _equations.Select(e =>
        {
            var compiled = Compile.ToDelegate(ListModule.OfSeq(InputNames), e);
            return compiled.IsOk ? compiled.ResultValue : throw new ArgumentException($"{Print.infix(e)}: {compiled.ErrorValue}");
        }).ToArray();
        var scratch = new ThreadLocal<double[]>(() => new double[InputNames.Count]);
        var problem = new OdeProblem(StateNames.Count, (t, state, derivative) =>
        {
            var values = scratch.Value!;
            for (var i = 0; i < stateSlot.Length; i++) values[stateSlot[i]] = state[i];
            if (control is not null)
            {
                var u = control(t);
                if (u.Length != controlSlot.Length)
                    throw new ArgumentException($"the control function gave {u.Length} values for {controlSlot.Length} controls");
                for (var c = 0; c < controlSlot.Length; c++) values[controlSlot[c]] = u[c];
            }
            for (var i = 0; i < functions.Length; i++) derivative[i] = functions[i](values);
        }, null, control is null);
        var solution = new DormandPrince54(tolerances ?? new AdaptiveStepOptions(1e-10, 1e-10)).Solve(problem, initialState, times);
        return new Trajectory(solution.Times, solution.States);
    }

    /// <summary>A copy with state <paramref name="target"/>'s equation replaced (symbolic-regression refinement).</summary>
    public FittedSindy WithEquation(int target, Expr rightHandSide, double trainingR2)
    {
        foreach (var v in ExprModule.variables(rightHandSide))
            if (!InputNames.Contains(v))
                throw new ArgumentException($"the equation uses '{v}', which is not an input ({string.Join(", ", InputNames)})");
        var equations = (Expr[])_equations.Clone();
        equations[target] = rightHandSide;
        var refined = (bool[])_refined.Clone();
        refined[target] = true;
        var r2 = (double[])_trainingR2.Clone();
        r2[target] = trainingR2;
        return new FittedSindy(Learner, StateNames.ToArray(), ControlNames.ToArray(), InputNames.ToArray(), Features.ToArray(),
            _coefficients, equations, refined, r2, Ensemble, TrimmedRows, Iterations, Converged, IsWeakForm);
    }

    /// <summary>A copy with other coefficients (rows in state order); the equations are rebuilt from them.</summary>
    internal FittedSindy WithCoefficients(double[][] coefficients, double[] trainingR2, EnsembleStatistics? ensemble) =>
        new(Learner, StateNames.ToArray(), ControlNames.ToArray(), InputNames.ToArray(), Features.ToArray(),
            coefficients.Select(r => (double[])r.Clone()).ToArray(), null, new bool[StateNames.Count], trainingR2, ensemble, TrimmedRows,
            Iterations, Converged, IsWeakForm);

    /// <summary>Σ_j c_j θ_j through the core's smart constructors (terms with coefficient 0 left out).</summary>
    public static Expr LinearCombination(IReadOnlyList<double> coefficients, IReadOnlyList<Expr> features)
    {
        var terms = new List<Expr>();
        for (var j = 0; j < features.Count; j++)
            if (coefficients[j] != 0) terms.Add(ExprModule.multiply(ExprModule.approx(coefficients[j]), features[j]));
        return ExprModule.sum(ListModule.OfSeq(terms));
    }

    /// <summary>The equations, one per line, coefficients to <paramref name="digits"/> significant digits.</summary>
    public string Format(int digits = 5)
    {
        var text = new StringBuilder();
        foreach (var equation in Equations)
            text.Append(Print.equation(Print.Format.Infix, Print.withDigits(digits), equation)).Append('\n');
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Format().TrimEnd('\n');
}
