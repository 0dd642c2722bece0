using System.Globalization;
using Symbolic;

namespace Discovery.Neural.Pinn;

/// <summary>Whether the equations are ODEs in time or a 1-D PDE in (x, t).</summary>
public enum PinnKind
{
    /// <summary><c>x' = ...</c>: states u(t).</summary>
    Ode,
    /// <summary><c>u_t = ...</c>: a field u(x, t) with derivatives such as <c>u_x</c>, <c>u_xx</c>.</summary>
    Pde,
}

/// <summary>One equation of the problem: the state whose time derivative it defines, and the right-hand side.</summary>
public sealed record PinnEquation(string State, Expr RightHandSide)
{
    /// <summary>The left side as written back: <c>x'</c> for an ODE, <c>u_t</c> for a PDE.</summary>
    public string Target(PinnKind kind, string time) => kind == PinnKind.Ode ? State + "'" : $"{State}_{time}";
}

/// <summary>An unknown function of the equations (e.g. <c>h1(x, y)</c>) and its arguments.</summary>
public sealed record HiddenTerm(string Name, IReadOnlyList<Expr> Arguments)
{
    /// <summary>Names for the arguments inside the distilled expression: the variable's own name, else a1, a2, ...</summary>
    public IReadOnlyList<string> ArgumentNames =>
        Arguments.Select((a, i) => a is Expr.Variable v && Arguments.Count(b => b.Equals(a)) == 1 ? v.Item : $"a{i + 1}").ToArray();

    /// <summary><c>h1(x, y)</c>.</summary>
    public override string ToString() => $"{Name}({string.Join(", ", Arguments.Select(Print.infix))})";
}

/// <summary>
/// A differential equation with known parts and hidden terms, as the hidden-term PINN takes it: ODEs <c>x' = 1.3*x +
/// h1(x, y)</c> over a time column, or a 1-D PDE <c>u_t = 0.01/pi*u_xx + h1(u, u_x)</c> over time and one space column.
/// Unknown function calls are the hidden terms; names listed as fitted parameters are constants trained with the networks.
/// In a PDE, <c>u_x</c>, <c>u_xx</c>, <c>u_t</c>, <c>u_xt</c>, ... name derivatives of the surrogate (the letters after
/// the underscore are the time and space names, which must then be single letters).
/// </summary>
public sealed class PinnProblem
{
    private PinnProblem(PinnKind kind, string time, string? space, IReadOnlyList<PinnEquation> equations, IReadOnlyList<HiddenTerm> hidden,
        IReadOnlyDictionary<string, double> parameters, IReadOnlyList<string> text)
    {
        Kind = kind;
        Time = time;
        Space = space;
        Equations = equations;
        Hidden = hidden;
        Parameters = parameters;
        Text = text;
    }

    /// <summary>ODE or PDE.</summary>
    public PinnKind Kind { get; }

    /// <summary>Name of the time column.</summary>
    public string Time { get; }

    /// <summary>Name of the space column (PDE only).</summary>
    public string? Space { get; }

    /// <summary>One equation per state, in the order given.</summary>
    public IReadOnlyList<PinnEquation> Equations { get; }

    /// <summary>The states (the data columns the surrogate reproduces), in equation order.</summary>
    public IReadOnlyList<string> States => Equations.Select(e => e.State).ToArray();

    /// <summary>The hidden terms in order of first appearance.</summary>
    public IReadOnlyList<HiddenTerm> Hidden { get; }

    /// <summary>Constants fitted with the networks, with their starting values.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; }

    /// <summary>The equations as given.</summary>
    public IReadOnlyList<string> Text { get; }

    /// <summary>
    /// Parses and checks the equations against the data's columns. <paramref name="fit"/> holds names of constants to fit,
    /// each optionally with a starting value (<c>a</c> or <c>a=1.5</c>; default start 1). <paramref name="space"/> null
    /// picks <c>x</c> for a PDE when it is a column. Throws <see cref="ArgumentException"/> with a one-line reason: an
    /// equation that does not parse, a left side that is not the derivative of a data column, an unknown variable, no
    /// hidden term, a hidden term called with different arguments, a fitted name that does not occur.
    /// </summary>
    public static PinnProblem Parse(IReadOnlyList<string> equations, IReadOnlyList<string> columns, string time, string? space = null,
        IReadOnlyList<string>? fit = null)
    {
        if (equations.Count == 0) throw new ArgumentException("no equation given");
        if (!columns.Contains(time)) throw new ArgumentException($"the time column '{time}' is not in the data (columns: {string.Join(", ", columns)})");
        var parameters = ParseFit(fit ?? []);
        var options = Symbolic.Parse.withParameters(parameters.Keys);
        var parsed = new List<(Symbolic.Equation Equation, string Text)>();
        foreach (var text in equations)
        {
            var result = Symbolic.Parse.equationWith(options, text);
            if (result.IsError) throw new ArgumentException($"equation \"{Symbolic.Parse.excerpt(text)}\": {result.ErrorValue}");
            parsed.Add((result.ResultValue, text));
        }

        var odes = parsed.Count(p => p.Equation.Target.IsDerivative);
        var kind = odes == parsed.Count ? PinnKind.Ode
            : odes == 0 ? PinnKind.Pde
            : throw new ArgumentException("mix of ODEs (x' = ...) and PDEs (u_t = ...): give one kind");
        string? spaceName = null;
        var list = new List<PinnEquation>();
        foreach (var (equation, text) in parsed)
        {
            string state;
            if (equation.Target is Target.Derivative d) state = d.state;
            else
            {
                var name = ((Target.Output)equation.Target).name;
                var suffix = "_" + time;
                if (!name.EndsWith(suffix, StringComparison.Ordinal) || name.Length == suffix.Length)
                    throw new ArgumentException($"equation \"{text}\": the left side '{name}' is not a time derivative (write {name}' for an ODE or u_{time} for a PDE)");
                state = name[..^suffix.Length];
            }
            if (!columns.Contains(state))
                throw new ArgumentException($"equation \"{text}\": the left side is the derivative of '{state}', which is not a data column (columns: {string.Join(", ", columns)})");
            if (state == time) throw new ArgumentException($"equation \"{text}\": '{state}' is the time column");
            if (list.Any(e => e.State == state)) throw new ArgumentException($"two equations for '{state}'");
            list.Add(new PinnEquation(state, equation.Rhs));
        }

        if (kind == PinnKind.Pde)
        {
            spaceName = space ?? (columns.Contains("x") ? "x" : throw new ArgumentException("a PDE needs a space column: name it with --space (default 'x')"));
            if (!columns.Contains(spaceName)) throw new ArgumentException($"the space column '{spaceName}' is not in the data (columns: {string.Join(", ", columns)})");
            if (spaceName == time) throw new ArgumentException("the space and time columns must differ");
            if (time.Length != 1 || spaceName.Length != 1)
                throw new ArgumentException($"derivative names such as u_xx need single-letter time and space names (got '{time}' and '{spaceName}')");
            if (list.Any(e => e.State == spaceName)) throw new ArgumentException($"'{spaceName}' is the space column, not a field");
        }

        var hidden = new List<HiddenTerm>();
        var states = list.Select(e => e.State).ToArray();
        foreach (var (equation, (_, text)) in list.Zip(parsed))
        {
            foreach (var sub in ExprModule.subexpressions(equation.RightHandSide))
            {
                if (sub is not Expr.Placeholder ph) continue;
                if (ExprModule.subexpressions(ph).Skip(1).Any(s => s is Expr.Placeholder))
                    throw new ArgumentException($"equation \"{text}\": hidden terms inside hidden terms are not supported");
                if (ph.Item2.IsEmpty) throw new ArgumentException($"equation \"{text}\": the hidden term {ph.Item1}() needs at least one argument");
                var args = ph.Item2.ToArray();
                var existing = hidden.FirstOrDefault(h => h.Name == ph.Item1);
                if (existing is null) hidden.Add(new HiddenTerm(ph.Item1, args));
                else if (!existing.Arguments.SequenceEqual(args))
                    throw new ArgumentException($"the hidden term {ph.Item1} is called with different arguments ({existing} and {new HiddenTerm(ph.Item1, args)})");
            }
            foreach (var v in ExprModule.variables(equation.RightHandSide))
                if (columns.Contains(v) && !IsKnownVariable(v, kind, time, spaceName, states))
                    throw new ArgumentException($"equation \"{text}\": '{v}' is a data column but has no equation; the surrogate models only the states with equations (add one such as {v}' = h9({v}))");
                else if (!IsKnownVariable(v, kind, time, spaceName, states))
                    throw new ArgumentException($"equation \"{text}\": unknown variable '{v}' (states: {string.Join(", ", states)}" +
                        (kind == PinnKind.Pde ? $"; derivatives like {states[0]}_{spaceName}, {states[0]}_{spaceName}{spaceName}" : "") +
                        $"; time: {time}; constants to fit go in --fit)");
        }
        if (hidden.Count == 0)
            throw new ArgumentException("no hidden term: write the unknown part as a function call such as h1(x, y)");
        var used = list.SelectMany(e => ExprModule.parameters(e.RightHandSide).Select(p => p.Item1)).ToHashSet();
        foreach (var name in parameters.Keys)
            if (!used.Contains(name)) throw new ArgumentException($"--fit names '{name}', which does not occur in the equations");
        return new PinnProblem(kind, time, spaceName, list, hidden, parameters, equations.ToArray());
    }

    /// <summary>The derivative letters of a PDE variable name such as <c>u_xx</c> (state "u", letters "xx"), or null.</summary>
    public (string State, string Letters)? AsDerivative(string name) => DerivativeOf(name, Kind, Time, Space, States);

    private static (string State, string Letters)? DerivativeOf(string name, PinnKind kind, string time, string? space, IReadOnlyList<string> states)
    {
        if (kind != PinnKind.Pde || space is null) return null;
        var cut = name.LastIndexOf('_');
        if (cut <= 0 || cut == name.Length - 1) return null;
        var state = name[..cut];
        var letters = name[(cut + 1)..];
        if (!states.Contains(state)) return null;
        return letters.All(c => c == time[0] || c == space[0]) ? (state, letters) : null;
    }

    private static bool IsKnownVariable(string name, PinnKind kind, string time, string? space, IReadOnlyList<string> states) =>
        states.Contains(name) || name == time || (space is not null && name == space) || DerivativeOf(name, kind, time, space, states) is not null;

    private static Dictionary<string, double> ParseFit(IReadOnlyList<string> fit)
    {
        var result = new Dictionary<string, double>();
        foreach (var item in fit.SelectMany(f => f.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            var name = parts[0];
            if (name.Length == 0 || !char.IsLetter(name[0]) || !name.All(c => char.IsLetterOrDigit(c) || c == '_'))
                throw new ArgumentException($"--fit: '{item}' is not a name (or name=start)");
            var start = 1.0;
            if (parts.Length == 2 && !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out start))
                throw new ArgumentException($"--fit: '{parts[1]}' is not a number (in '{item}')");
            if (!double.IsFinite(start)) throw new ArgumentException($"--fit: the start of '{name}' must be finite");
            if (!result.TryAdd(name, start)) throw new ArgumentException($"--fit names '{name}' twice");
        }
        return result;
    }
}
