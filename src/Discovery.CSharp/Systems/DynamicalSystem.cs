using Discovery.Integration;
using Microsoft.FSharp.Core;
using Symbolic;

namespace Discovery.Systems;

/// <summary>A named constant of a system's equations and its value.</summary>
/// <param name="Name">The name used in the equation text.</param>
/// <param name="Value">Its value (nominal for zoo systems until overridden).</param>
public sealed record SystemParameter(string Name, double Value);

/// <summary>
/// Equation text that does not define a usable system: a parse error (with its 1-based line and column), a name that is
/// neither a state nor a parameter, a state defined twice, a wrong-length initial state. The message is one line.
/// </summary>
public sealed class SystemDefinitionException(string message, int? line = null, int? column = null) : Exception(message)
{
    /// <summary>1-based line of the equation text where the problem is, when known.</summary>
    public int? Line { get; } = line;

    /// <summary>1-based column of the equation text where the problem is, when known.</summary>
    public int? Column { get; } = column;
}

/// <summary>
/// A continuous dynamical system dx/dt = f(x, t; p) whose right-hand sides are expressions of the symbolic core, parsed
/// from equation text such as <c>x' = sigma*(y - x)</c>: the ground truth is always available symbolically. Carries its
/// parameters (overridable), a default initial state, a recommended sampling step, and where known the dominant period
/// and largest Lyapunov exponent. Immutable: the <c>With…</c> methods return changed copies.
/// </summary>
public sealed class DynamicalSystem
{
    private readonly double[] _initialState;

    private DynamicalSystem(string name, string description, string equationText, IReadOnlyList<string> stateNames,
        IReadOnlyList<Equation> equations, IReadOnlyList<SystemParameter> parameters, double[] initialState, double timeStep,
        double? period, double? lyapunov, string? reference, bool isStiff)
    {
        Name = name;
        Description = description;
        EquationText = equationText;
        StateNames = stateNames;
        Equations = equations;
        Parameters = parameters;
        _initialState = initialState;
        TimeStep = timeStep;
        Period = period;
        LargestLyapunovExponent = lyapunov;
        Reference = reference;
        IsStiff = isStiff;
        IsAutonomous = !equations.Any(e => ExprModule.variables(e.Rhs).Contains(TimeVariable));
    }

    /// <summary>The name of the time variable in equation text.</summary>
    public const string TimeVariable = "t";

    /// <summary>Short name, e.g. "lorenz" (how the zoo and the command line find it).</summary>
    public string Name { get; }

    /// <summary>One-line description.</summary>
    public string Description { get; }

    /// <summary>The equation text the system was parsed from (parameters by name).</summary>
    public string EquationText { get; }

    /// <summary>State variable names, in the order of the equations.</summary>
    public IReadOnlyList<string> StateNames { get; }

    /// <summary>Number of state variables.</summary>
    public int Dimension => StateNames.Count;

    /// <summary>
    /// The equations <c>state' = rhs</c> as core expressions, parameters as <c>Parameter(name, current value)</c> leaves.
    /// </summary>
    public IReadOnlyList<Equation> Equations { get; }

    /// <summary>The parameters with their current values, in declaration order.</summary>
    public IReadOnlyList<SystemParameter> Parameters { get; }

    /// <summary>The default initial state (a copy).</summary>
    public double[] InitialState => (double[])_initialState.Clone();

    /// <summary>Recommended sampling step for data sets.</summary>
    public double TimeStep { get; }

    /// <summary>Dominant period of the motion, when known.</summary>
    public double? Period { get; }

    /// <summary>Largest Lyapunov exponent (1/time), when known: positive for chaos, 0 on a limit cycle or torus.</summary>
    public double? LargestLyapunovExponent { get; }

    /// <summary>Where the system comes from, when known.</summary>
    public string? Reference { get; }

    /// <summary>True when the system is stiff with its default parameters (simulate with a stiff solver).</summary>
    public bool IsStiff { get; }

    /// <summary>True when no right-hand side depends on time explicitly.</summary>
    public bool IsAutonomous { get; }

    /// <summary>The value of parameter <paramref name="name"/>; KeyNotFoundException when there is none.</summary>
    public double Parameter(string name) =>
        Parameters.FirstOrDefault(p => p.Name == name)?.Value
        ?? throw new KeyNotFoundException($"{Name} has no parameter '{name}' (it has {ParameterList()})");

    /// <summary>
    /// Defines a system from equation text: one equation <c>x' = …</c> (or <c>dx/dt = …</c>) per state, separated by
    /// newlines or ';', '#' comments allowed. Names listed in <paramref name="parameters"/> are parameters with those
    /// values; <c>t</c> is time; every other name must be a state. Throws <see cref="SystemDefinitionException"/>.
    /// </summary>
    public static DynamicalSystem FromText(string equations, IEnumerable<KeyValuePair<string, double>>? parameters = null,
        double[]? initialState = null, double timeStep = 0.01, string name = "custom", string description = "user-defined system")
    {
        var parameterList = (parameters ?? []).Select(p => new SystemParameter(p.Key, p.Value)).ToList();
        return Define(name, description, equations, parameterList, initialState, timeStep, null, null, null, false);
    }

    /// <summary>
    /// Defines a system from equations already built as core expressions (e.g. by a learner): one
    /// <c>Target.Derivative</c> equation per state; <c>Parameter</c> leaves keep their values. The equation text is the
    /// core's infix printing. Throws <see cref="SystemDefinitionException"/> as <see cref="FromText"/> does.
    /// </summary>
    public static DynamicalSystem FromEquations(IEnumerable<Equation> equations, double[]? initialState = null, double timeStep = 0.01,
        string name = "model", string description = "system built from equations")
    {
        var list = equations.ToList();
        var parameters = list.SelectMany(e => ExprModule.parameters(e.Rhs))
            .GroupBy(p => p.Item1).Select(g => new SystemParameter(g.Key, g.First().Item2)).ToList();
        var text = string.Join("\n", list.Select(Print.infixEquation));
        return Assemble(name, description, text, list, parameters, initialState, timeStep, null, null, null, false);
    }

    internal static DynamicalSystem Define(string name, string description, string text, IReadOnlyList<SystemParameter> parameters,
        double[]? initialState, double timeStep, double? period, double? lyapunov, string? reference, bool isStiff)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (!seen.Add(parameter.Name)) throw new SystemDefinitionException($"parameter '{parameter.Name}' is given twice");
            if (!double.IsFinite(parameter.Value))
                throw new SystemDefinitionException($"parameter '{parameter.Name}' must be a finite number (got {parameter.Value})");
        }
        if (!(timeStep > 0) || !double.IsFinite(timeStep))
            throw new SystemDefinitionException($"the time step must be a positive number (got {timeStep})");

        var parsed = Parse.systemWith(Parse.withParameters(parameters.Select(p => p.Name)), text);
        if (parsed.IsError)
        {
            var error = parsed.ErrorValue;
            throw new SystemDefinitionException($"{name}: {error}", error.Line, error.Column);
        }
        return Assemble(name, description, text, parsed.ResultValue.ToList(), parameters, initialState, timeStep, period, lyapunov,
            reference, isStiff);
    }

    private static DynamicalSystem Assemble(string name, string description, string text, List<Equation> list,
        IReadOnlyList<SystemParameter> parameters, double[]? initialState, double timeStep, double? period, double? lyapunov,
        string? reference, bool isStiff)
    {
        if (!(timeStep > 0) || !double.IsFinite(timeStep))
            throw new SystemDefinitionException($"the time step must be a positive number (got {timeStep})");
        if (list.Count == 0) throw new SystemDefinitionException($"{name}: no equations (write one x' = ... per state)");

        var states = new List<string>();
        foreach (var equation in list)
        {
            var target = EquationModule.targetName(equation);
            if (!EquationModule.isDerivative(equation))
                throw new SystemDefinitionException($"{name}: '{target} = ...' is not a differential equation; write {target}' = ...");
            if (target == TimeVariable) throw new SystemDefinitionException($"{name}: '{TimeVariable}' is time and cannot be a state");
            if (states.Contains(target)) throw new SystemDefinitionException($"{name}: the state '{target}' is defined twice");
            states.Add(target);
        }
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var equation in list)
        {
            var target = EquationModule.targetName(equation);
            foreach (var variable in ExprModule.variables(equation.Rhs))
                if (variable != TimeVariable && !states.Contains(variable))
                    throw new SystemDefinitionException(
                        $"{name}: the equation for {target}' uses '{variable}', which is neither a state ({string.Join(", ", states)}) nor a parameter");
            foreach (var subexpression in ExprModule.subexpressions(equation.Rhs))
            {
                if (subexpression is Expr.Placeholder placeholder)
                    throw new SystemDefinitionException($"{name}: the equation for {target}' calls '{placeholder.Item1}', which is not a known function");
                if (subexpression is Expr.Parameter parameter) used.Add(parameter.name);
            }
        }
        foreach (var parameter in parameters)
            if (!used.Contains(parameter.Name))
                throw new SystemDefinitionException($"{name}: parameter '{parameter.Name}' does not occur in the equations");

        var x0 = initialState ?? Enumerable.Repeat(1.0, states.Count).ToArray();
        if (x0.Length != states.Count)
            throw new SystemDefinitionException($"{name}: the initial state has {x0.Length} values for {states.Count} states ({string.Join(", ", states)})");
        if (x0.Any(v => !double.IsFinite(v))) throw new SystemDefinitionException($"{name}: the initial state must be finite");

        var bound = BindParameters(list, parameters);
        return new DynamicalSystem(name, description, text, states, bound, parameters.ToArray(), (double[])x0.Clone(), timeStep,
            period, lyapunov, reference, isStiff);
    }

    /// <summary>
    /// A copy with some parameters changed (others keep their values). Unknown names throw ArgumentException. The period
    /// and Lyapunov exponent, valid for the nominal values only, are dropped when a value changes.
    /// </summary>
    public DynamicalSystem WithParameters(IEnumerable<KeyValuePair<string, double>> values)
    {
        var updated = Parameters.ToList();
        var changed = false;
        foreach (var (key, value) in values)
        {
            var index = updated.FindIndex(p => p.Name == key);
            if (index < 0) throw new ArgumentException($"{Name} has no parameter '{key}' (it has {ParameterList()})");
            if (!double.IsFinite(value)) throw new ArgumentException($"parameter '{key}' must be finite (got {value})");
            changed |= updated[index].Value != value;
            updated[index] = updated[index] with { Value = value };
        }
        return new DynamicalSystem(Name, Description, EquationText, StateNames, BindParameters(Equations, updated), updated,
            _initialState, TimeStep, changed ? null : Period, changed ? null : LargestLyapunovExponent, Reference, IsStiff);
    }

    /// <summary>
    /// A copy with every parameter multiplied by an independent uniform factor in [1 − spread, 1 + spread] (seeded), e.g.
    /// ±10% for a family of training systems.
    /// </summary>
    public DynamicalSystem WithPerturbedParameters(double relativeSpread, int seed)
    {
        if (!(relativeSpread >= 0 && relativeSpread < 1))
            throw new ArgumentOutOfRangeException(nameof(relativeSpread), relativeSpread, "the relative spread must be in [0, 1)");
        var random = new Random(seed);
        return WithParameters(Parameters.Select(p =>
            new KeyValuePair<string, double>(p.Name, p.Value * (1 + relativeSpread * (2 * random.NextDouble() - 1)))).ToArray());
    }

    /// <summary>A copy with another default initial state (one finite value per state).</summary>
    public DynamicalSystem WithInitialState(double[] initialState)
    {
        if (initialState.Length != Dimension)
            throw new ArgumentException($"{Name} has {Dimension} states ({string.Join(", ", StateNames)}) but {initialState.Length} initial values were given");
        if (initialState.Any(v => !double.IsFinite(v))) throw new ArgumentException("the initial state must be finite");
        return new DynamicalSystem(Name, Description, EquationText, StateNames, Equations, Parameters, (double[])initialState.Clone(),
            TimeStep, Period, LargestLyapunovExponent, Reference, IsStiff);
    }

    /// <summary>The right-hand sides with parameters replaced by their current values (numbers only).</summary>
    public IReadOnlyList<Expr> BoundRightHandSides() => Equations.Select(e => ExprModule.bindParameters(e.Rhs)).ToArray();

    /// <summary>The system as an ODE problem, its right-hand side compiled by the symbolic core.</summary>
    public OdeProblem ToOdeProblem() =>
        new(Dimension, RightHandSideCompiler.Compile(Equations.Select(e => e.Rhs).ToArray(), StateNames, TimeVariable, Parameters), null, IsAutonomous);

    /// <summary>"name = value" for every parameter, comma-separated.</summary>
    public string ParameterList() =>
        Parameters.Count == 0 ? "no parameters" : string.Join(", ", Parameters.Select(p => $"{p.Name} = {p.Value:G6}"));

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Dimension} states: {string.Join(", ", StateNames)}; {ParameterList()})";

    private static IReadOnlyList<Equation> BindParameters(IReadOnlyList<Equation> equations, IReadOnlyList<SystemParameter> parameters)
    {
        var values = parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var setValue = FSharpFunc<Expr, Expr>.FromConverter(leaf =>
            leaf is Expr.Parameter p && values.TryGetValue(p.name, out var v) ? Expr.NewParameter(p.name, v) : leaf);
        return equations.Select(e => new Equation(e.Target, ExprModule.mapLeaves(setValue, e.Rhs))).ToArray();
    }
}
