using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Discovery.Neural.Plrnn;

/// <summary>
/// One gradient step on a batch: teacher-forced unroll, mean squared error of the read-out, backpropagation through time
/// and an optimizer update. The batch is time-major: (T + 1) x S x N values.
/// </summary>
internal interface ITrainingEngine : IDisposable
{
    /// <summary>Runs one step and returns the loss; when <paramref name="states"/> is given, adds the (forced) latent
    /// states of up to 4 sequences (T x M each) for the Jacobian-norm estimate.</summary>
    double Step(double[] batch, int length, int size, double alpha, double learningRate, List<double[][]>? states);

    /// <summary>The current parameters.</summary>
    PlrnnMap Snapshot();

    /// <summary>The optimizer's state (step count and moment estimates), for a checkpoint.</summary>
    OptimizerCheckpoint SaveOptimizer();

    /// <summary>Restores a state written by <see cref="SaveOptimizer"/> of an engine of the same backend and sizes;
    /// returns false (and changes nothing) when the state belongs to the other backend.</summary>
    bool LoadOptimizer(OptimizerCheckpoint state);
}

/// <summary>Whether the observed units are forced at step t, and with which alpha.</summary>
internal static class Forcing
{
    public static double AlphaAt(TrainingOptions options, int t, double alpha) =>
        t == 0 ? 1.0
        : options.Forcing == ForcingKind.Sparse ? (t % options.ForcingInterval == 0 ? 1.0 : 0.0)
        : alpha;
}

/// <summary>TorchSharp autograd over the module's unrolled steps, with <c>torch.optim.RAdam</c>.</summary>
internal sealed class TorchEngine : ITrainingEngine
{
    private readonly PlrnnModule _module;
    private readonly optim.Optimizer _optimizer;
    private readonly TrainingOptions _options;

    public TorchEngine(PlrnnMap start, TrainingOptions options)
    {
        _options = options;
        _module = PlrnnModule.Of(start);
        _optimizer = optim.RAdam(_module.parameters(), lr: options.StartLearningRate);
    }

    public double Step(double[] batch, int length, int size, double alpha, double learningRate, List<double[][]>? states)
    {
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = learningRate;
        using var scope = torch.NewDisposeScope();
        var n = _module.Observed;
        var x = torch.tensor(batch.Select(v => (float)v).ToArray(), [length + 1, size, n], dtype: ScalarType.Float32);
        var z = _module.InitialState(x.select(0, 0));
        var outputs = new Tensor[length];
        var kept = states is not null ? new Tensor[length] : null;
        for (var t = 0; t < length; t++)
        {
            var a = Forcing.AlphaAt(_options, t, alpha);
            if (t > 0 && a > 0) z = _module.Force(z, x.select(0, t), a);
            if (kept is not null) kept[t] = z.detach();
            z = _module.forward(z);
            outputs[t] = z.narrow(1, 0, n);
        }
        var loss = nn.functional.mse_loss(torch.stack(outputs), x.narrow(0, 1, length));
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
        if (kept is not null && states is not null)
        {
            var m = _module.Latent;
            var all = torch.stack(kept).to_type(ScalarType.Float64).data<double>().ToArray();
            for (var s = 0; s < Math.Min(size, 4); s++)
            {
                var rows = new double[length][];
                for (var t = 0; t < length; t++)
                {
                    rows[t] = new double[m];
                    Array.Copy(all, (t * size + s) * m, rows[t], 0, m);
                }
                states.Add(rows);
            }
        }
        return loss.item<float>();
    }

    public PlrnnMap Snapshot() => _module.ToMap();

    public OptimizerCheckpoint SaveOptimizer()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            ((OptimizerHelper)_optimizer).save_state_dict(writer);
        return new OptimizerCheckpoint { Torch = Convert.ToBase64String(stream.ToArray()) };
    }

    public bool LoadOptimizer(OptimizerCheckpoint state)
    {
        if (state.Torch is not { } text) return false;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"the checkpoint's optimizer state is not base64 ({e.Message})");
        }
        using var reader = new BinaryReader(new MemoryStream(bytes));
        try
        {
            ((OptimizerHelper)_optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException)
        {
            throw new InvalidDataException($"the checkpoint's optimizer state does not fit this model ({e.Message})");
        }
        return true;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _module.Dispose();
    }
}

/// <summary>
/// Hand-written backpropagation through time for z' = a ⊙ z + W φ(z) + h with an elementwise φ (identity or relu per
/// unit: the AL-RNN and the vanilla PLRNN), in double precision, with RAdam (PyTorch's defaults: β = (0.9, 0.999),
/// ε = 1e-8). No per-operation overhead: one step costs about 3 M² T S multiply-adds.
/// </summary>
internal sealed class NativeEngine : ITrainingEngine
{
    private readonly TrainingOptions _options;
    private readonly int _m;
    private readonly int _n;
    private readonly bool[] _rectified;
    private readonly int _relu;
    private readonly PlrnnKind _kind;
    private readonly double[] _a;
    private readonly double[] _w; // row-major M x M
    private readonly double[] _h;
    private readonly double[] _b; // row-major N x M
    private readonly RAdam _optimizer;

    public NativeEngine(PlrnnMap start, TrainingOptions options)
    {
        _options = options;
        _m = start.Latent;
        _n = start.Observed;
        _kind = start.Kind;
        double[,] w;
        switch (start)
        {
            case AlrnnMap alrnn:
                w = alrnn.W;
                _relu = alrnn.Relu;
                _rectified = Enumerable.Range(0, _m).Select(i => i >= alrnn.FirstRelu).ToArray();
                break;
            case VanillaPlrnnMap plrnn:
                w = plrnn.W;
                _rectified = Enumerable.Repeat(true, _m).ToArray();
                break;
            default:
                throw new ArgumentException($"the native backend trains the AL-RNN and the vanilla PLRNN, not {start.Kind}");
        }
        _a = (double[])start.A.Clone();
        _h = (double[])start.H.Clone();
        _w = Flatten(w);
        _b = Flatten(start.B);
        _optimizer = new RAdam([_a.Length, _w.Length, _h.Length, _b.Length]);
    }

    public static bool Supports(PlrnnMap map) => map is AlrnnMap or VanillaPlrnnMap;

    public double Step(double[] batch, int length, int size, double alpha, double learningRate, List<double[][]>? states)
    {
        int m = _m, n = _n;
        var zin = new double[length * size * m]; // the state entering step t (after forcing)
        var ga = new double[m];
        var gw = new double[m * m];
        var gh = new double[m];
        var gb = new double[n * m];
        var phi = new double[m];
        var next = new double[m];
        var g = new double[m];
        var dzin = new double[m];
        var scaleLoss = 1.0 / ((double)length * size * n);
        var loss = 0.0;
        var residual = new double[length * size * n];

        // Forward.
        for (var s = 0; s < size; s++)
        {
            var z = new double[m];
            for (var j = 0; j < m; j++)
            {
                var v = 0.0;
                for (var i = 0; i < n; i++) v += batch[s * n + i] * _b[i * m + j];
                z[j] = v;
            }
            for (var t = 0; t < length; t++)
            {
                var alphaT = Forcing.AlphaAt(_options, t, alpha);
                var x = (t * size + s) * n;
                if (alphaT > 0)
                    for (var i = 0; i < n; i++) z[i] = (1 - alphaT) * z[i] + alphaT * batch[x + i];
                var offset = (t * size + s) * m;
                Array.Copy(z, 0, zin, offset, m);
                for (var j = 0; j < m; j++) phi[j] = _rectified[j] && z[j] < 0 ? 0 : z[j];
                for (var r = 0; r < m; r++)
                {
                    var v = _a[r] * z[r] + _h[r];
                    var row = r * m;
                    for (var c = 0; c < m; c++) v += _w[row + c] * phi[c];
                    next[r] = v;
                }
                var y = ((t + 1) * size + s) * n;
                for (var i = 0; i < n; i++)
                {
                    var e = next[i] - batch[y + i];
                    residual[(t * size + s) * n + i] = e;
                    loss += e * e;
                }
                Array.Copy(next, z, m);
            }
        }
        loss *= scaleLoss;

        // Backward through time.
        for (var s = 0; s < size; s++)
        {
            Array.Clear(g);
            for (var t = length - 1; t >= 0; t--)
            {
                for (var i = 0; i < n; i++) g[i] += 2 * scaleLoss * residual[(t * size + s) * n + i];
                var offset = (t * size + s) * m;
                for (var j = 0; j < m; j++) phi[j] = _rectified[j] && zin[offset + j] < 0 ? 0 : zin[offset + j];
                for (var r = 0; r < m; r++)
                {
                    var gr = g[r];
                    ga[r] += gr * zin[offset + r];
                    gh[r] += gr;
                    if (gr == 0) continue;
                    var row = r * m;
                    for (var c = 0; c < m; c++) gw[row + c] += gr * phi[c];
                }
                for (var c = 0; c < m; c++)
                {
                    var v = 0.0;
                    for (var r = 0; r < m; r++) v += _w[r * m + c] * g[r];
                    var slope = _rectified[c] && zin[offset + c] < 0 ? 0.0 : 1.0;
                    dzin[c] = _a[c] * g[c] + v * slope;
                }
                var alphaT = Forcing.AlphaAt(_options, t, alpha);
                if (t == 0)
                {
                    // z_0 = x_0 B with the observed units replaced by x_0: only B's unobserved columns get gradient.
                    for (var i = 0; i < n; i++)
                    {
                        var xi = batch[s * n + i];
                        for (var j = n; j < m; j++) gb[i * m + j] += xi * dzin[j];
                    }
                    break;
                }
                for (var i = 0; i < n; i++) dzin[i] *= 1 - alphaT;
                Array.Copy(dzin, g, m);
            }
        }

        _optimizer.Update([_a, _w, _h, _b], [ga, gw, gh, gb], learningRate);

        if (states is not null)
            for (var s = 0; s < Math.Min(size, 4); s++)
            {
                var rows = new double[length][];
                for (var t = 0; t < length; t++)
                {
                    rows[t] = new double[m];
                    Array.Copy(zin, (t * size + s) * m, rows[t], 0, m);
                }
                states.Add(rows);
            }
        return loss;
    }

    public PlrnnMap Snapshot()
    {
        var w = Unflatten(_w, _m, _m);
        var b = Unflatten(_b, _n, _m);
        return _kind == PlrnnKind.AlRnn
            ? new AlrnnMap((double[])_a.Clone(), w, (double[])_h.Clone(), _relu, _n, b)
            : new VanillaPlrnnMap((double[])_a.Clone(), w, (double[])_h.Clone(), _n, b);
    }

    public OptimizerCheckpoint SaveOptimizer() => _optimizer.Save();

    public bool LoadOptimizer(OptimizerCheckpoint state)
    {
        if (state.First is null || state.Second is null) return false;
        _optimizer.Load(state);
        return true;
    }

    public void Dispose()
    {
    }

    private static double[] Flatten(double[,] x)
    {
        var flat = new double[x.Length];
        var cols = x.GetLength(1);
        for (var r = 0; r < x.GetLength(0); r++)
            for (var c = 0; c < cols; c++) flat[r * cols + c] = x[r, c];
        return flat;
    }

    private static double[,] Unflatten(double[] flat, int rows, int cols)
    {
        var x = new double[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) x[r, c] = flat[r * cols + c];
        return x;
    }
}

/// <summary>RAdam (Liu et al. 2020) over plain arrays, as <c>torch.optim.RAdam</c> computes it.</summary>
internal sealed class RAdam(int[] sizes, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly double[][] _m = sizes.Select(s => new double[s]).ToArray();
    private readonly double[][] _v = sizes.Select(s => new double[s]).ToArray();
    private int _step;

    /// <summary>Updates done so far.</summary>
    public int Steps => _step;

    /// <summary>A copy of the step count and both moment estimates.</summary>
    public OptimizerCheckpoint Save() => new()
    {
        Step = _step,
        First = _m.Select(a => (double[])a.Clone()).ToArray(),
        Second = _v.Select(a => (double[])a.Clone()).ToArray(),
    };

    /// <summary>Restores a state written by <see cref="Save"/>; throws InvalidDataException when the sizes differ.</summary>
    public void Load(OptimizerCheckpoint state)
    {
        if (state.First is not { } first || state.Second is not { } second || first.Length != _m.Length || second.Length != _v.Length
            || Enumerable.Range(0, _m.Length).Any(k => first[k].Length != _m[k].Length || second[k].Length != _v[k].Length))
            throw new InvalidDataException("the checkpoint's optimizer state does not fit this model's parameters");
        if (state.Step < 0) throw new InvalidDataException($"the checkpoint's optimizer step count is negative ({state.Step})");
        for (var k = 0; k < _m.Length; k++)
        {
            Array.Copy(first[k], _m[k], _m[k].Length);
            Array.Copy(second[k], _v[k], _v[k].Length);
        }
        _step = state.Step;
    }

    /// <summary>One update of every parameter array by its gradient.</summary>
    public void Update(double[][] parameters, double[][] gradients, double learningRate)
    {
        _step++;
        var bias1 = 1 - Math.Pow(beta1, _step);
        var bias2 = 1 - Math.Pow(beta2, _step);
        var rhoInf = 2 / (1 - beta2) - 1;
        var rho = rhoInf - 2 * _step * Math.Pow(beta2, _step) / bias2;
        var rect = rho > 5 ? Math.Sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 0;
        for (var k = 0; k < parameters.Length; k++)
        {
            var p = parameters[k];
            var g = gradients[k];
            var m = _m[k];
            var v = _v[k];
            for (var i = 0; i < p.Length; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                var mHat = m[i] / bias1;
                p[i] -= rho > 5
                    ? learningRate * mHat * rect * Math.Sqrt(bias2) / (Math.Sqrt(v[i]) + epsilon)
                    : learningRate * mHat;
            }
        }
    }
}
