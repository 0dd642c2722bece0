using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Discovery.Neural.Plrnn;

/// <summary>
/// A member of the PLRNN family as a TorchSharp module whose forward pass is one step z -> z' of a batch of latent states
/// (S x M). Modules are built from a <see cref="PlrnnMap"/> (random or hand-made initial values, a checkpoint) and give
/// one back with <see cref="ToMap"/>; the start matrix B (N x M) is a parameter too.
/// </summary>
public abstract class PlrnnModule : nn.Module<Tensor, Tensor>
{
    protected PlrnnModule(string name, PlrnnMap map) : base(name)
    {
        Latent = map.Latent;
        Observed = map.Observed;
    }

    /// <summary>M.</summary>
    public int Latent { get; }

    /// <summary>N.</summary>
    public int Observed { get; }

    /// <summary>The start matrix B: unobserved units start at x B.</summary>
    protected abstract Parameter StartMatrix { get; }

    /// <summary>A pure C# copy of the current parameters.</summary>
    public abstract PlrnnMap ToMap();

    /// <summary>The latent states of a batch of observations x (S x N): x B with the first N units replaced by x.</summary>
    public Tensor InitialState(Tensor x) => Force(x.matmul(StartMatrix), x, 1.0);

    /// <summary>Replaces the observed units of z by (1 - alpha) z + alpha x (alpha = 1: by x).</summary>
    public Tensor Force(Tensor z, Tensor x, double alpha)
    {
        var rest = z.narrow(1, Observed, Latent - Observed);
        var observed = alpha >= 1.0 ? x : alpha <= 0.0 ? z.narrow(1, 0, Observed) : torch.lerp(z.narrow(1, 0, Observed), x, alpha);
        return Latent == Observed ? observed : torch.cat([observed, rest], 1);
    }

    /// <summary>Builds the module of <paramref name="map"/>'s kind holding its values.</summary>
    public static PlrnnModule Of(PlrnnMap map) => map switch
    {
        AlrnnMap a => new AlrnnModule(a),
        VanillaPlrnnMap v => new VanillaPlrnnModule(v),
        ShallowPlrnnMap s => new ShallowPlrnnModule(s),
        _ => throw new ArgumentException($"no module for {map.GetType().Name}"),
    };

    internal static Parameter Param(double[] values) =>
        new(torch.tensor(values.Select(v => (float)v).ToArray(), dtype: ScalarType.Float32), requires_grad: true);

    internal static Parameter Param(double[,] values)
    {
        var rows = values.GetLength(0);
        var cols = values.GetLength(1);
        var flat = new float[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) flat[r * cols + c] = (float)values[r, c];
        return new(torch.tensor(flat, [rows, cols], dtype: ScalarType.Float32), requires_grad: true);
    }

    internal static double[] Vector(Tensor t) => t.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();

    internal static double[,] Matrix(Tensor t)
    {
        var rows = (int)t.shape[0];
        var cols = (int)t.shape[1];
        var flat = Vector(t);
        var m = new double[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) m[r, c] = flat[r * cols + c];
        return m;
    }
}

/// <summary>The AL-RNN as a module.</summary>
public sealed class AlrnnModule : PlrnnModule
{
    private readonly Parameter _a;
    private readonly Parameter _w;
    private readonly Parameter _h;
    private readonly Parameter _b;
    private readonly int _relu;

    public AlrnnModule(AlrnnMap map) : base("alrnn", map)
    {
        _a = Param(map.A);
        _w = Param(map.W);
        _h = Param(map.H);
        _b = Param(map.B);
        _relu = map.Relu;
        RegisterComponents();
    }

    protected override Parameter StartMatrix => _b;

    public override Tensor forward(Tensor z)
    {
        var first = Latent - _relu;
        var phi = first == 0
            ? nn.functional.relu(z)
            : torch.cat([z.narrow(1, 0, first), nn.functional.relu(z.narrow(1, first, _relu))], 1);
        return torch.addcmul(nn.functional.linear(phi, _w, _h), _a, z, 1);
    }

    public override PlrnnMap ToMap() => new AlrnnMap(Vector(_a), Matrix(_w), Vector(_h), _relu, Observed, Matrix(_b));
}

/// <summary>The vanilla PLRNN as a module.</summary>
public sealed class VanillaPlrnnModule : PlrnnModule
{
    private readonly Parameter _a;
    private readonly Parameter _w;
    private readonly Parameter _h;
    private readonly Parameter _b;

    public VanillaPlrnnModule(VanillaPlrnnMap map) : base("plrnn", map)
    {
        _a = Param(map.A);
        _w = Param(map.W);
        _h = Param(map.H);
        _b = Param(map.B);
        RegisterComponents();
    }

    protected override Parameter StartMatrix => _b;

    public override Tensor forward(Tensor z) => torch.addcmul(nn.functional.linear(nn.functional.relu(z), _w, _h), _a, z, 1);

    public override PlrnnMap ToMap() => new VanillaPlrnnMap(Vector(_a), Matrix(_w), Vector(_h), Observed, Matrix(_b));
}

/// <summary>The shallow PLRNN (plain or clipped) as a module.</summary>
public sealed class ShallowPlrnnModule : PlrnnModule
{
    private readonly Parameter _a;
    private readonly Parameter _w1;
    private readonly Parameter _w2;
    private readonly Parameter _h1;
    private readonly Parameter _h2;
    private readonly Parameter _b;
    private readonly bool _clipped;

    public ShallowPlrnnModule(ShallowPlrnnMap map) : base("shplrnn", map)
    {
        _a = Param(map.A);
        _w1 = Param(map.W1);
        _w2 = Param(map.W2);
        _h1 = Param(map.H);
        _h2 = Param(map.H2);
        _b = Param(map.B);
        _clipped = map.Clipped;
        RegisterComponents();
    }

    protected override Parameter StartMatrix => _b;

    public override Tensor forward(Tensor z)
    {
        var pre = nn.functional.linear(z, _w2);
        var hidden = nn.functional.relu(pre + _h2);
        if (_clipped) hidden = hidden - nn.functional.relu(pre);
        return torch.addcmul(nn.functional.linear(hidden, _w1, _h1), _a, z, 1);
    }

    public override PlrnnMap ToMap() =>
        new ShallowPlrnnMap(Vector(_a), Matrix(_w1), Matrix(_w2), Vector(_h1), Vector(_h2), _clipped, Observed, Matrix(_b));
}

/// <summary>Random initial values of each kind, after the authors' initialisation, drawn from a seeded generator.</summary>
public static class PlrnnInitialisation
{
    /// <summary>
    /// A random map of the kind and size in <paramref name="options"/>: A the normalised diagonal of RᵀR/M + I (largest
    /// eigenvalue 1), W ~ N(0, 0.01²) (shallow: W1, W2 uniform in ±1/sqrt(fan-in)), h = 0, B uniform in ±1/sqrt(N).
    /// </summary>
    public static PlrnnMap Random(PlrnnOptions options, int seed)
    {
        options.Validate();
        var random = new Random(seed);
        var m = options.Latent;
        var n = options.Observed;
        var a = DiagonalOfNormalisedPositiveDefinite(m, random);
        var b = Uniform(n, m, 1 / Math.Sqrt(n), random);
        switch (options.Kind)
        {
            case PlrnnKind.AlRnn:
                return new AlrnnMap(a, Gaussian(m, m, 0.01, random), new double[m], options.Relu, n, b);
            case PlrnnKind.Plrnn:
                return new VanillaPlrnnMap(a, Gaussian(m, m, 0.01, random), new double[m], n, b);
            default:
                var hidden = options.Hidden;
                var w1 = Uniform(m, hidden, 1 / Math.Sqrt(hidden), random);
                var w2 = Uniform(hidden, m, 1 / Math.Sqrt(m), random);
                var h2 = Enumerable.Range(0, hidden).Select(_ => (random.NextDouble() * 2 - 1) / Math.Sqrt(m)).ToArray();
                return new ShallowPlrnnMap(a, w1, w2, new double[m], h2, options.Kind == PlrnnKind.ClippedShallowPlrnn, n, b);
        }
    }

    private static double[] DiagonalOfNormalisedPositiveDefinite(int m, Random random)
    {
        var r = Gaussian(m, m, 1, random);
        var k = new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(m, m);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < m; j++)
            {
                var s = 0.0;
                for (var l = 0; l < m; l++) s += r[l, i] * r[l, j];
                k[i, j] = s / m + (i == j ? 1 : 0);
            }
        var largest = k.Evd().EigenValues.Max(e => e.Magnitude);
        return Enumerable.Range(0, m).Select(i => k[i, i] / largest).ToArray();
    }

    /// <summary>A rows x cols matrix of N(0, std²) draws.</summary>
    public static double[,] Gaussian(int rows, int cols, double std, Random random)
    {
        var w = new double[rows, cols];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++) w[i, j] = std * Normal(random);
        return w;
    }

    private static double[,] Uniform(int rows, int cols, double range, Random random)
    {
        var w = new double[rows, cols];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++) w[i, j] = (random.NextDouble() * 2 - 1) * range;
        return w;
    }

    /// <summary>One standard normal draw (Box-Muller).</summary>
    public static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
