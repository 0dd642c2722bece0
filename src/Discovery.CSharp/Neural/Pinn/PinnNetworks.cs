using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Discovery.Neural.Pinn;

/// <summary>A fully connected tanh network: <c>depth</c> hidden layers of <c>width</c> units, a linear output layer.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> _layers;

    /// <summary>Builds the network in float64 with starting weights drawn from <paramref name="generator"/>;
    /// <paramref name="outputScale"/> shrinks the initial output layer (e.g. so a hidden term starts near zero).</summary>
    public Mlp(string name, int inputs, int width, int depth, int outputs, Generator generator, double outputScale = 1.0) : base(name)
    {
        var layers = new List<Linear>();
        var n = inputs;
        for (var d = 0; d < depth; d++)
        {
            layers.Add(nn.Linear(n, width, dtype: ScalarType.Float64));
            n = width;
        }
        layers.Add(nn.Linear(n, outputs, dtype: ScalarType.Float64));
        _layers = nn.ModuleList(layers.ToArray());
        RegisterComponents();
        SeededInitialisation.Reset(this, generator);
        if (outputScale != 1.0)
            using (no_grad())
            {
                layers[^1].weight!.mul_(outputScale);
                layers[^1].bias!.zero_();
            }
    }

    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (var i = 0; i < _layers.Count - 1; i++) x = _layers[i].forward(x).tanh();
        return _layers[_layers.Count - 1].forward(x);
    }
}

/// <summary>
/// The trainable parts of a hidden-term PINN: the surrogate of the states (inputs t, or (t, x), scaled to [-1, 1];
/// outputs scaled by the data's mean and spread), one network per hidden term (arguments centred and scaled by the
/// values they take, output scaled by the size of the equation's time derivative), and the fitted constants.
/// </summary>
internal sealed class PinnModel : IDisposable
{
    public PinnModel(PinnProblem problem, PinnOptions options, double[] inputCenter, double[] inputHalfRange, double[] stateMean, double[] stateScale)
    {
        Problem = problem;
        // One generator for all networks, drawn in a fixed order: the seed alone decides the starting weights.
        using var generator = SeededInitialisation.NewGenerator(options.Seed);
        Surrogate = new Mlp("surrogate", inputCenter.Length, options.SurrogateWidth, options.SurrogateDepth, problem.States.Count, generator);
        foreach (var h in problem.Hidden)
            HiddenNetworks[h.Name] = new Mlp(h.Name, h.Arguments.Count, options.HiddenWidth, options.HiddenDepth, 1, generator, outputScale: 0.1);
        foreach (var (name, start) in problem.Parameters)
            Constants[name] = nn.Parameter(tensor(start, dtype: ScalarType.Float64));
        InputCenter = tensor(inputCenter, dtype: ScalarType.Float64).DetachFromDisposeScope();
        InputHalfRange = tensor(inputHalfRange, dtype: ScalarType.Float64).DetachFromDisposeScope();
        StateMean = tensor(stateMean, dtype: ScalarType.Float64).DetachFromDisposeScope();
        StateScale = tensor(stateScale, dtype: ScalarType.Float64).DetachFromDisposeScope();
    }

    public PinnProblem Problem { get; }
    public Mlp Surrogate { get; }
    public Dictionary<string, Mlp> HiddenNetworks { get; } = [];
    public Dictionary<string, Parameter> Constants { get; } = [];
    public Tensor InputCenter { get; }
    public Tensor InputHalfRange { get; }
    public Tensor StateMean { get; }
    public Tensor StateScale { get; }

    /// <summary>Per hidden term: centre and scale of each argument, and the output scale (set after the warm-up).</summary>
    public Dictionary<string, (Tensor Center, Tensor Scale, double Output)> HiddenScaling { get; } = [];

    public IEnumerable<Parameter> SurrogateParameters => Surrogate.parameters();

    public IEnumerable<Parameter> AllParameters =>
        Surrogate.parameters().Concat(HiddenNetworks.Values.SelectMany(n => n.parameters())).Concat(Constants.Values);

    /// <summary>States at the given inputs ([rows, 1] or [rows, 2], unscaled): [rows, states].</summary>
    public Tensor States(Tensor inputs) => StateMean + StateScale * NormalisedStates(inputs);

    /// <summary>The surrogate's raw output: (state - mean) / spread.</summary>
    public Tensor NormalisedStates(Tensor inputs) => Surrogate.forward((inputs - InputCenter) / InputHalfRange);

    /// <summary>The hidden term's value at the given argument tensors (each [rows]): [rows].</summary>
    public Tensor Hidden(string name, IReadOnlyList<Tensor> arguments)
    {
        var (center, scale, output) = HiddenScaling.TryGetValue(name, out var s) ? s : throw new InvalidOperationException("hidden scaling not set");
        var x = stack(arguments.ToArray(), 1);
        return HiddenNetworks[name].forward((x - center) / scale).select(1, 0) * output;
    }

    public void Dispose()
    {
        Surrogate.Dispose();
        foreach (var n in HiddenNetworks.Values) n.Dispose();
        foreach (var c in Constants.Values) c.Dispose();
        foreach (var (center, scale, _) in HiddenScaling.Values)
        {
            center.Dispose();
            scale.Dispose();
        }
        InputCenter.Dispose();
        InputHalfRange.Dispose();
        StateMean.Dispose();
        StateScale.Dispose();
    }
}
