using Symbolic;
using TorchSharp;
using static TorchSharp.torch;

namespace Discovery.Neural;

/// <summary>
/// A core expression as a TorchSharp module: the input is a tensor of shape [rows, variables] (columns in
/// <see cref="Variables"/> order), the output has shape [rows]. Approximate constants and parameters become trainable
/// parameters (their names in <see cref="ConstantNames"/>), exact numbers stay fixed, so a discovered equation can be
/// fine-tuned or used inside a loss with autograd.
/// </summary>
public sealed class ExpressionModule : nn.Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> _forward;
    private readonly List<TorchSharp.Modules.Parameter> _constants = [];

    public ExpressionModule(Expr expression, IReadOnlyList<string> variables, ScalarType dtype = ScalarType.Float64)
        : base("expression")
    {
        TorchRuntime.EnsureLoaded();
        Variables = variables;
        Expression = expression;
        var names = new List<string>();
        _forward = Translate(expression, variables, dtype, names);
        ConstantNames = names;
        for (var i = 0; i < _constants.Count; i++) register_parameter($"c{i}", _constants[i]);
    }

    /// <summary>The expression the module computes (with its starting constants).</summary>
    public Expr Expression { get; }

    /// <summary>Input column order.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>Names of the trainable constants, in parameter order (c0, c1, ... or the parameter's own name).</summary>
    public IReadOnlyList<string> ConstantNames { get; }

    public override Tensor forward(Tensor input) => _forward(input);

    private Func<Tensor, Tensor> Translate(Expr e, IReadOnlyList<string> variables, ScalarType dtype, List<string> names)
    {
        switch (e)
        {
            case Expr.Number n:
            {
                var value = n.Item.ToFloat();
                return x => full(x.shape[0], value, dtype: dtype, device: x.device);
            }
            case Expr.Approx or Expr.Parameter:
            {
                var (name, value) = e is Expr.Parameter p ? (p.name, p.value) : ($"c{_constants.Count}", ((Expr.Approx)e).Item);
                var parameter = nn.Parameter(tensor(value, dtype: dtype));
                _constants.Add(parameter);
                names.Add(name);
                return x => parameter.expand(x.shape[0]);
            }
            case Expr.Constant c:
            {
                var value = c.Item.IsPi ? Math.PI : Math.E;
                return x => full(x.shape[0], value, dtype: dtype, device: x.device);
            }
            case Expr.Variable v:
            {
                var column = variables.ToList().IndexOf(v.Item);
                if (column < 0) throw new ArgumentException($"variable '{v.Item}' is not among the inputs ({string.Join(", ", variables)})");
                return x => x.select(1, column);
            }
            case Expr.Sum s:
            {
                var terms = s.Item.Select(t => Translate(t, variables, dtype, names)).ToArray();
                return x => terms.Skip(1).Aggregate(terms[0](x), (acc, t) => acc + t(x));
            }
            case Expr.Product p:
            {
                var factors = p.Item.Select(f => Translate(f, variables, dtype, names)).ToArray();
                return x => factors.Skip(1).Aggregate(factors[0](x), (acc, f) => acc * f(x));
            }
            case Expr.Power pw when pw.Item2 is Expr.Number n && n.Item.IsInteger:
            {
                var b = Translate(pw.Item1, variables, dtype, names);
                var k = (double)n.Item.Numerator;
                return x => b(x).pow(k);
            }
            case Expr.Power pw:
            {
                var b = Translate(pw.Item1, variables, dtype, names);
                var ex = Translate(pw.Item2, variables, dtype, names);
                return x => b(x).pow(ex(x));
            }
            case Expr.Apply a:
            {
                var args = a.Item2.Select(t => Translate(t, variables, dtype, names)).ToArray();
                Func<Tensor, Tensor> unary(Func<Tensor, Tensor> f) => x => f(args[0](x));
                return a.Item1 switch
                {
                    "sin" => unary(t => t.sin()),
                    "cos" => unary(t => t.cos()),
                    "tan" => unary(t => t.tan()),
                    "exp" => unary(t => t.exp()),
                    "log" => unary(t => t.log()),
                    "log10" => unary(t => t.log10()),
                    "sqrt" => unary(t => t.sqrt()),
                    "abs" => unary(t => t.abs()),
                    "sign" => unary(t => t.sign()),
                    "tanh" => unary(t => t.tanh()),
                    "sinh" => unary(t => t.sinh()),
                    "cosh" => unary(t => t.cosh()),
                    "asin" => unary(t => t.asin()),
                    "acos" => unary(t => t.acos()),
                    "atan" => unary(t => t.atan()),
                    "relu" => unary(t => t.relu()),
                    "erf" => unary(t => t.erf()),
                    "cbrt" => unary(t => t.sign() * t.abs().pow(1.0 / 3.0)),
                    "max" => x => maximum(args[0](x), args[1](x)),
                    "min" => x => minimum(args[0](x), args[1](x)),
                    var other => throw new NotSupportedException($"operator '{other}' has no TorchSharp translation"),
                };
            }
            case Expr.Placeholder ph:
                throw new NotSupportedException($"'{ph.Item1}' is an unknown function (a placeholder); it has no computation to translate");
            default:
                throw new NotSupportedException($"cannot translate {e}");
        }
    }
}
