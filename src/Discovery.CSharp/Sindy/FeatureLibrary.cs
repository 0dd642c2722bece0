using System.Globalization;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.SparseRegression;

/// <summary>
/// A library of candidate terms Θ(x) for SINDy. Each feature is a core expression over the input names (states and
/// controls), so a polynomial term x*y is the expression <c>x*y</c> and a custom term <c>x/(1+x)</c> is that expression:
/// features are evaluated by the core evaluator and equations print in every format. Libraries compose:
/// <c>a + b</c> concatenates, <c>a * b</c> takes every product (tensor product). Immutable.
/// </summary>
public abstract class FeatureLibrary
{
    /// <summary>Short description with the settings, e.g. "polynomial (degree 2)".</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The features over <paramref name="inputs"/> (the data's column names), without duplicates, in a fixed order.
    /// Throws ArgumentException when the library names a variable that is not among the inputs.
    /// </summary>
    public IReadOnlyList<Expr> Features(IReadOnlyList<string> inputs)
    {
        var seen = new HashSet<Expr>();
        var result = new List<Expr>();
        foreach (var feature in Generate(inputs))
            if (seen.Add(feature)) result.Add(feature);
        return result;
    }

    /// <summary>The features, possibly with duplicates (removed by <see cref="Features"/>).</summary>
    protected abstract IEnumerable<Expr> Generate(IReadOnlyList<string> inputs);

    /// <summary>The features of both libraries, <paramref name="left"/>'s first (duplicates dropped).</summary>
    public static FeatureLibrary operator +(FeatureLibrary left, FeatureLibrary right) => new ConcatenatedLibrary([left, right]);

    /// <summary>Every product of a feature of <paramref name="left"/> and one of <paramref name="right"/>.</summary>
    public static FeatureLibrary operator *(FeatureLibrary left, FeatureLibrary right) => new TensorLibrary(left, right);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>
    /// A library from its command-line spelling: <c>poly:D</c> (polynomial of degree D; add <c>:nobias</c> or
    /// <c>:nocross</c>), <c>fourier:N</c> (sin and cos of k·x for k = 1..N), <c>custom:e1;e2;…</c> (core expressions),
    /// and for the first two kinds <c>+</c> (concatenate) and <c>*</c> (tensor product) between parts, e.g.
    /// <c>poly:2+fourier:1</c>. Throws FormatException with a one-line reason.
    /// </summary>
    public static FeatureLibrary Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("custom:", StringComparison.OrdinalIgnoreCase))
            return CustomLibrary.ParseExpressions(trimmed["custom:".Length..]);
        var sum = new List<FeatureLibrary>();
        foreach (var part in trimmed.Split('+'))
        {
            FeatureLibrary? product = null;
            foreach (var factor in part.Split('*'))
            {
                var library = ParseAtom(factor.Trim(), text);
                product = product is null ? library : new TensorLibrary(product, library);
            }
            sum.Add(product!);
        }
        return sum.Count == 1 ? sum[0] : new ConcatenatedLibrary(sum);
    }

    private static FeatureLibrary ParseAtom(string atom, string whole)
    {
        var pieces = atom.Split(':', StringSplitOptions.TrimEntries);
        int Count(string what)
        {
            if (pieces.Length < 2 || !int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 20)
                throw new FormatException($"library '{whole}': '{atom}' needs {what} from 1 to 20, e.g. {pieces[0]}:2");
            return n;
        }
        switch (pieces[0].ToLowerInvariant())
        {
            case "poly" or "polynomial":
                var degree = Count("a degree");
                var bias = true;
                var cross = true;
                foreach (var flag in pieces.Skip(2))
                {
                    if (flag.Equals("nobias", StringComparison.OrdinalIgnoreCase)) bias = false;
                    else if (flag.Equals("nocross", StringComparison.OrdinalIgnoreCase)) cross = false;
                    else throw new FormatException($"library '{whole}': unknown polynomial flag '{flag}' (nobias or nocross)");
                }
                return new PolynomialLibrary(degree, cross, bias);
            case "fourier":
                if (pieces.Length > 2) throw new FormatException($"library '{whole}': fourier takes one number, e.g. fourier:2");
                return new FourierLibrary(Count("a number of frequencies"));
            case "custom":
                throw new FormatException($"library '{whole}': custom expressions must be a library of their own (give another --library)");
            default:
                throw new FormatException($"library '{whole}': unknown kind '{pieces[0]}' (poly:D, fourier:N or custom:e1;e2)");
        }
    }

    /// <summary>The variables a library applies to: the given subset (checked) or all inputs.</summary>
    protected static IReadOnlyList<string> Select(IReadOnlyList<string>? variables, IReadOnlyList<string> inputs, string library)
    {
        if (variables is null) return inputs;
        foreach (var v in variables)
            if (!inputs.Contains(v))
                throw new ArgumentException($"{library} uses '{v}', which is not an input ({string.Join(", ", inputs)})");
        return variables;
    }

    /// <summary>A variable as an expression.</summary>
    protected static Expr Var(string name) => ExprModule.variable(name);

    /// <summary>A registered operator applied to one argument, built canonically through the operator table.</summary>
    protected static Expr Apply(string op, Expr argument) => Operators.find(op).Build.Invoke(ListModule.OfArray(new[] { argument }));
}

/// <summary>
/// Polynomial terms up to <see cref="Degree"/> in the inputs (or a subset): the constant 1 (with bias), every variable,
/// and every product of up to Degree variables (only pure powers without interactions), ordered by degree and then as
/// combinations with replacement (1, x, y, x^2, x*y, y^2, ...), as PySINDy orders them.
/// </summary>
public sealed class PolynomialLibrary : FeatureLibrary
{
    private readonly IReadOnlyList<string>? _variables;

    /// <summary>Terms up to <paramref name="degree"/>; <paramref name="variables"/> restricts them to some inputs.</summary>
    public PolynomialLibrary(int degree = 2, bool includeInteractions = true, bool includeBias = true, IReadOnlyList<string>? variables = null)
    {
        if (degree < 0) throw new ArgumentOutOfRangeException(nameof(degree), degree, "the degree must be 0 or more");
        Degree = degree;
        IncludeInteractions = includeInteractions;
        IncludeBias = includeBias;
        _variables = variables?.ToArray();
    }

    /// <summary>Highest total degree.</summary>
    public int Degree { get; }

    /// <summary>Whether products of different variables are included.</summary>
    public bool IncludeInteractions { get; }

    /// <summary>Whether the constant term 1 is included.</summary>
    public bool IncludeBias { get; }

    /// <inheritdoc />
    public override string Name =>
        $"polynomial (degree {Degree}{(IncludeInteractions ? "" : ", no interactions")}{(IncludeBias ? "" : ", no bias")}" +
        $"{(_variables is null ? "" : $", in {string.Join(", ", _variables)}")})";

    /// <inheritdoc />
    protected override IEnumerable<Expr> Generate(IReadOnlyList<string> inputs)
    {
        var variables = Select(_variables, inputs, Name).Select(Var).ToArray();
        if (IncludeBias) yield return ExprModule.one;
        for (var d = 1; d <= Degree; d++)
        {
            if (!IncludeInteractions)
            {
                foreach (var v in variables) yield return ExprModule.powerInt(v, d);
                continue;
            }
            foreach (var combination in CombinationsWithReplacement(variables.Length, d))
                yield return ExprModule.product(ListModule.OfSeq(combination.Select(i => variables[i])));
        }
    }

    private static IEnumerable<int[]> CombinationsWithReplacement(int n, int k)
    {
        if (n == 0) yield break;
        var indices = new int[k];
        while (true)
        {
            yield return (int[])indices.Clone();
            var i = k - 1;
            while (i >= 0 && indices[i] == n - 1) i--;
            if (i < 0) yield break;
            indices[i]++;
            for (var j = i + 1; j < k; j++) indices[j] = indices[i];
        }
    }
}

/// <summary>
/// Fourier terms sin(k·x) and cos(k·x) for k = 1..<see cref="Frequencies"/> and every input (or a subset), ordered by
/// frequency, then input, sine before cosine.
/// </summary>
public sealed class FourierLibrary : FeatureLibrary
{
    private readonly IReadOnlyList<string>? _variables;

    /// <summary>Frequencies 1..<paramref name="frequencies"/>; sines and/or cosines.</summary>
    public FourierLibrary(int frequencies = 1, bool includeSine = true, bool includeCosine = true, IReadOnlyList<string>? variables = null)
    {
        if (frequencies < 1) throw new ArgumentOutOfRangeException(nameof(frequencies), frequencies, "at least one frequency is needed");
        if (!includeSine && !includeCosine) throw new ArgumentException("a Fourier library needs sines, cosines or both");
        Frequencies = frequencies;
        IncludeSine = includeSine;
        IncludeCosine = includeCosine;
        _variables = variables?.ToArray();
    }

    /// <summary>Highest frequency (the frequencies are 1..this).</summary>
    public int Frequencies { get; }

    /// <summary>Whether sines are included.</summary>
    public bool IncludeSine { get; }

    /// <summary>Whether cosines are included.</summary>
    public bool IncludeCosine { get; }

    /// <inheritdoc />
    public override string Name => $"Fourier (frequencies 1..{Frequencies})";

    /// <inheritdoc />
    protected override IEnumerable<Expr> Generate(IReadOnlyList<string> inputs)
    {
        var variables = Select(_variables, inputs, Name);
        for (var k = 1; k <= Frequencies; k++)
        foreach (var name in variables)
        {
            var argument = ExprModule.multiply(ExprModule.number(k), Var(name));
            if (IncludeSine) yield return Apply("sin", argument);
            if (IncludeCosine) yield return Apply("cos", argument);
        }
    }
}

/// <summary>
/// Any core expressions as features, e.g. <c>x/(1+x)</c> or <c>sin(x)*y</c>. Variables must be inputs; parameters are
/// bound to their values; unknown functions are refused.
/// </summary>
public sealed class CustomLibrary : FeatureLibrary
{
    private readonly Expr[] _expressions;

    /// <summary>A library of the given expressions (at least one).</summary>
    public CustomLibrary(IEnumerable<Expr> expressions)
    {
        _expressions = expressions.Select(ExprModule.bindParameters).ToArray();
        if (_expressions.Length == 0) throw new ArgumentException("a custom library needs at least one expression");
        foreach (var e in _expressions)
            foreach (var sub in ExprModule.subexpressions(e))
                if (sub is Expr.Placeholder p)
                    throw new ArgumentException($"custom feature {Print.infix(e)} calls '{p.Item1}', which is not a known function");
    }

    /// <summary>The library's expressions.</summary>
    public IReadOnlyList<Expr> Expressions => _expressions;

    /// <summary>Expressions given as infix text separated by ';'. Throws FormatException naming the bad piece and position.</summary>
    public static CustomLibrary ParseExpressions(string text)
    {
        var expressions = new List<Expr>();
        foreach (var piece in text.Trim().Trim('"', '\'').Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parsed = Symbolic.Parse.expression(piece);
            if (parsed.IsError) throw new FormatException($"custom feature '{Symbolic.Parse.excerpt(piece)}': {parsed.ErrorValue}");
            expressions.Add(parsed.ResultValue);
        }
        if (expressions.Count == 0) throw new FormatException("custom: give at least one expression, e.g. custom:\"x/(1+x);sin(y)\"");
        try
        {
            return new CustomLibrary(expressions);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message);
        }
    }

    /// <summary>
    /// One feature per function and input: <paramref name="functions"/> applied to each input variable, e.g.
    /// <c>CustomLibrary.PerInput(inputs, v =&gt; v / (1 + v))</c> gives x/(1+x), y/(1+y), …
    /// </summary>
    public static CustomLibrary PerInput(IEnumerable<string> inputs, params Func<Expr, Expr>[] functions) =>
        new(inputs.SelectMany(name => functions.Select(f => f(ExprModule.variable(name)))));

    /// <inheritdoc />
    public override string Name => $"custom ({string.Join("; ", _expressions.Select(Print.infix))})";

    /// <inheritdoc />
    protected override IEnumerable<Expr> Generate(IReadOnlyList<string> inputs)
    {
        foreach (var e in _expressions)
        {
            foreach (var v in ExprModule.variables(e))
                if (!inputs.Contains(v))
                    throw new ArgumentException($"custom feature {Print.infix(e)} uses '{v}', which is not an input ({string.Join(", ", inputs)})");
            yield return e;
        }
    }
}

/// <summary>The features of several libraries one after another (duplicates, such as two constants, dropped).</summary>
public sealed class ConcatenatedLibrary : FeatureLibrary
{
    private readonly FeatureLibrary[] _parts;

    /// <summary>Concatenates <paramref name="parts"/> (at least one).</summary>
    public ConcatenatedLibrary(IEnumerable<FeatureLibrary> parts)
    {
        _parts = parts.SelectMany(p => p is ConcatenatedLibrary c ? c._parts : [p]).ToArray();
        if (_parts.Length == 0) throw new ArgumentException("nothing to concatenate");
    }

    /// <summary>The concatenated libraries.</summary>
    public IReadOnlyList<FeatureLibrary> Parts => _parts;

    /// <inheritdoc />
    public override string Name => string.Join(" + ", _parts.Select(p => p.Name));

    /// <inheritdoc />
    protected override IEnumerable<Expr> Generate(IReadOnlyList<string> inputs) => _parts.SelectMany(p => p.Features(inputs));
}

/// <summary>
/// The tensor product of two libraries: every product f·g of a feature f of the left and g of the right, built through
/// the core's canonical product (so x * x is x^2 and products that coincide are dropped as duplicates).
/// </summary>
public sealed class TensorLibrary(FeatureLibrary left, FeatureLibrary right) : FeatureLibrary
{
    /// <summary>The left factor.</summary>
    public FeatureLibrary Left { get; } = left;

    /// <summary>The right factor.</summary>
    public FeatureLibrary Right { get; } = right;

    /// <inheritdoc />
    public override string Name => $"({Left.Name}) x ({Right.Name})";

    /// <inheritdoc />
    protected override IEnumerable<Expr> Generate(IReadOnlyList<string> inputs)
    {
        var rightFeatures = Right.Features(inputs);
        foreach (var f in Left.Features(inputs))
        foreach (var g in rightFeatures)
            yield return ExprModule.multiply(f, g);
    }
}
