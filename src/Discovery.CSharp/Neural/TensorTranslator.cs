using Symbolic;
using TorchSharp;
using static TorchSharp.torch;

namespace Discovery.Neural;

/// <summary>A translated expression: given the tensors of its variables by name, the tensor of its value (autograd flows).</summary>
public delegate Tensor TensorFunction(IReadOnlyDictionary<string, Tensor> variables);

/// <summary>
/// How <see cref="TensorTranslator"/> treats the leaves and unknown functions of an expression. Numbers and constants
/// become scalar tensors that broadcast against the variables.
/// </summary>
public sealed record TensorTranslation
{
    /// <summary>Element type of the constant tensors.</summary>
    public ScalarType DType { get; init; } = ScalarType.Float64;

    /// <summary>
    /// The tensor of a parameter, by name and starting value (e.g. a trainable <c>nn.Parameter</c>); called once per
    /// occurrence at translation time. Null: parameters are fixed at their values.
    /// </summary>
    public Func<string, double, Tensor>? Parameter { get; init; }

    /// <summary>The tensor of an approximate number (e.g. to make fitted constants trainable); null: fixed.</summary>
    public Func<double, Tensor>? Approx { get; init; }

    /// <summary>
    /// Unknown functions (<c>h1(x, y)</c>) by name: each maps the tensors of its arguments (in order) to its value, e.g.
    /// a hidden network. A placeholder with no entry makes the translation fail.
    /// </summary>
    public IReadOnlyDictionary<string, Func<IReadOnlyList<Tensor>, Tensor>> Placeholders { get; init; } =
        new Dictionary<string, Func<IReadOnlyList<Tensor>, Tensor>>();
}

/// <summary>
/// Translates core expressions into TorchSharp computations, so equations written as text run inside a loss with
/// autograd: variables are looked up by name in the tensors given at evaluation (data columns, states, derivatives such
/// as <c>u_x</c>), parameters and approximate numbers become whatever <see cref="TensorTranslation"/> says (fixed or
/// trainable), unknown functions call the functions it supplies (hidden networks). Used by <see cref="ExpressionModule"/>
/// and by the hidden-term PINN.
/// </summary>
public static class TensorTranslator
{
    /// <summary>Operators that have a translation, by the names of the core's operator table.</summary>
    public static IReadOnlyCollection<string> SupportedOperators => Unary.Keys.Concat(["max", "min"]).ToArray();

    /// <summary>
    /// Translates <paramref name="expression"/>. Throws <see cref="NotSupportedException"/> naming an operator without a
    /// translation or a placeholder without a function; an unknown variable fails at evaluation with
    /// <see cref="KeyNotFoundException"/> naming it.
    /// </summary>
    public static TensorFunction Translate(Expr expression, TensorTranslation? translation = null)
    {
        TorchRuntime.EnsureLoaded();
        return Build(expression, translation ?? new TensorTranslation());
    }

    private static readonly Dictionary<string, Func<Tensor, Tensor>> Unary = new()
    {
        ["sin"] = t => t.sin(),
        ["cos"] = t => t.cos(),
        ["tan"] = t => t.tan(),
        ["exp"] = t => t.exp(),
        ["log"] = t => t.log(),
        ["log10"] = t => t.log10(),
        ["sqrt"] = t => t.sqrt(),
        ["abs"] = t => t.abs(),
        ["sign"] = t => t.sign(),
        ["tanh"] = t => t.tanh(),
        ["sinh"] = t => t.sinh(),
        ["cosh"] = t => t.cosh(),
        ["asin"] = t => t.asin(),
        ["acos"] = t => t.acos(),
        ["atan"] = t => t.atan(),
        ["relu"] = t => t.relu(),
        ["erf"] = t => t.erf(),
        ["cbrt"] = t => t.sign() * t.abs().pow(1.0 / 3.0),
    };

    private static TensorFunction Fixed(double value, ScalarType dtype)
    {
        var constant = tensor(value, dtype: dtype).DetachFromDisposeScope();
        return _ => constant;
    }

    private static TensorFunction Build(Expr e, TensorTranslation tr)
    {
        switch (e)
        {
            case Expr.Number n:
                return Fixed(n.Item.ToFloat(), tr.DType);
            case Expr.Approx a:
            {
                if (tr.Approx is null) return Fixed(a.Item, tr.DType);
                var t = tr.Approx(a.Item);
                return _ => t;
            }
            case Expr.Parameter p:
            {
                if (tr.Parameter is null) return Fixed(p.value, tr.DType);
                var t = tr.Parameter(p.name, p.value);
                return _ => t;
            }
            case Expr.Constant c:
                return Fixed(c.Item.IsPi ? Math.PI : Math.E, tr.DType);
            case Expr.Variable v:
            {
                var name = v.Item;
                return vars => vars.TryGetValue(name, out var t)
                    ? t
                    : throw new KeyNotFoundException($"variable '{name}' has no tensor (given: {string.Join(", ", vars.Keys)})");
            }
            case Expr.Sum s:
            {
                var terms = s.Item.Select(t => Build(t, tr)).ToArray();
                return vars =>
                {
                    var acc = terms[0](vars);
                    for (var i = 1; i < terms.Length; i++) acc = acc + terms[i](vars);
                    return acc;
                };
            }
            case Expr.Product p:
            {
                // A negative integer power among the factors becomes a division (exact at 0 where x^-1 would be inf*0).
                var factors = p.Item.Select(f => f is Expr.Power { Item2: Expr.Number n } pw && n.Item.IsInteger && n.Item.Sign < 0
                    ? (Divide: true, Function: Build(ExprModule.power(pw.Item1, ExprModule.rational(-n.Item)), tr))
                    : (Divide: false, Function: Build(f, tr))).ToArray();
                return vars =>
                {
                    Tensor? acc = null;
                    foreach (var (divide, f) in factors.Where(x => !x.Divide))
                        acc = acc is null ? f(vars) : acc * f(vars);
                    foreach (var (_, f) in factors.Where(x => x.Divide))
                        acc = acc is null ? f(vars).reciprocal() : acc / f(vars);
                    return acc!;
                };
            }
            case Expr.Power pw when pw.Item2 is Expr.Number n && n.Item.IsInteger:
            {
                var b = Build(pw.Item1, tr);
                var k = (long)n.Item.Numerator;
                return k switch
                {
                    1 => b,
                    2 => vars => b(vars).square(),
                    -1 => vars => b(vars).reciprocal(),
                    _ => vars => b(vars).pow(k),
                };
            }
            case Expr.Power pw:
            {
                var b = Build(pw.Item1, tr);
                if (pw.Item2 is Expr.Number or Expr.Approx or Expr.Constant)
                {
                    var exponent = Symbolic.Evaluate.at(new Dictionary<string, double>(), pw.Item2);
                    if (exponent == 0.5) return vars => b(vars).sqrt();
                    return vars => b(vars).pow(exponent);
                }
                var ex = Build(pw.Item2, tr);
                return vars => b(vars).pow(ex(vars));
            }
            case Expr.Apply a:
            {
                var args = a.Item2.Select(t => Build(t, tr)).ToArray();
                if (Unary.TryGetValue(a.Item1, out var f) && args.Length == 1) return vars => f(args[0](vars));
                return a.Item1 switch
                {
                    "max" when args.Length == 2 => vars => maximum(args[0](vars), args[1](vars)),
                    "min" when args.Length == 2 => vars => minimum(args[0](vars), args[1](vars)),
                    var other => throw new NotSupportedException($"operator '{other}' has no TorchSharp translation"),
                };
            }
            case Expr.Placeholder ph:
            {
                if (!tr.Placeholders.TryGetValue(ph.Item1, out var function))
                    throw new NotSupportedException($"'{ph.Item1}' is an unknown function (a placeholder) with no network or function to compute it");
                var args = ph.Item2.Select(t => Build(t, tr)).ToArray();
                return vars => function(args.Select(g => g(vars)).ToArray());
            }
            default:
                throw new NotSupportedException($"cannot translate {e}");
        }
    }
}
