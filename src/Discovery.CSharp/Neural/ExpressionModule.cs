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
    private readonly TensorFunction _forward;
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

    public override Tensor forward(Tensor input)
    {
        var columns = new Dictionary<string, Tensor>(Variables.Count);
        for (var i = 0; i < Variables.Count; i++) columns[Variables[i]] = input.select(1, i);
        var value = _forward(columns);
        return value.shape.Length == 1 && value.shape[0] == input.shape[0] ? value : value.expand(input.shape[0]);
    }

    private TensorFunction Translate(Expr e, IReadOnlyList<string> variables, ScalarType dtype, List<string> names)
    {
        foreach (var v in ExprModule.variables(e))
            if (!variables.Contains(v))
                throw new ArgumentException($"variable '{v}' is not among the inputs ({string.Join(", ", variables)})");
        TorchSharp.Modules.Parameter Trainable(string name, double value)
        {
            var parameter = nn.Parameter(tensor(value, dtype: dtype));
            _constants.Add(parameter);
            names.Add(name);
            return parameter;
        }
        return TensorTranslator.Translate(e, new TensorTranslation
        {
            DType = dtype,
            Parameter = Trainable,
            Approx = value => Trainable($"c{_constants.Count}", value),
        });
    }
}
