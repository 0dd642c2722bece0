using Symbolic;
using TorchSharp;
using static TorchSharp.torch;

namespace Discovery.Neural.Pinn;

/// <summary>What training left: the model, the losses and whether it was stopped early.</summary>
internal sealed record TrainingOutcome(double Loss, double DataLoss, double ResidualLoss, int AdamSteps, int LbfgsIterations,
    double Seconds, bool Interrupted);

/// <summary>
/// Joint training of the surrogate and the hidden networks: data misfit (normalised by each state's spread) plus the
/// equation residual at collocation points (derivatives of the surrogate by autograd, normalised by the size of each
/// time derivative). A data-only warm-up first, then Adam with a tenfold learning-rate decay, then L-BFGS (a chunk
/// that makes the loss worse or not finite is undone and ends L-BFGS).
/// </summary>
internal sealed class PinnTrainer
{
    private readonly PinnProblem _problem;
    private readonly PinnOptions _options;
    private readonly PinnModel _model;
    private readonly TensorFunction[] _rightHandSides;
    private readonly Dictionary<string, TensorFunction[]> _hiddenArguments = [];
    private readonly string[] _variables;
    private readonly Tensor _dataInputs;
    private readonly Tensor _dataTargets;
    private readonly Tensor _collocation;
    private double[] _residualScale;

    public PinnTrainer(PinnProblem problem, PinnData data, PinnOptions options)
    {
        _problem = problem;
        _options = options;
        var dims = problem.Kind == PinnKind.Pde ? 2 : 1;
        var inputs = new double[data.Rows, dims];
        for (var k = 0; k < data.Rows; k++)
        {
            inputs[k, 0] = data.Times[k];
            if (dims == 2) inputs[k, 1] = data.Space![k];
        }
        var low = Enumerable.Range(0, dims).Select(j => Enumerable.Range(0, data.Rows).Min(k => inputs[k, j])).ToArray();
        var high = Enumerable.Range(0, dims).Select(j => Enumerable.Range(0, data.Rows).Max(k => inputs[k, j])).ToArray();
        var center = low.Zip(high, (a, b) => (a + b) / 2).ToArray();
        var half = low.Zip(high, (a, b) => Math.Max((b - a) / 2, 1e-12)).ToArray();
        var states = problem.States.Select(s => data.States[s]).ToArray();
        var mean = states.Select(c => c.Average()).ToArray();
        var scale = states.Select((c, i) => Math.Max(Math.Sqrt(c.Average(v => (v - mean[i]) * (v - mean[i]))), 1e-8 * (1 + Math.Abs(mean[i])))).ToArray();

        _model = new PinnModel(problem, options, center, half, mean, scale);
        _dataInputs = tensor(inputs, dtype: ScalarType.Float64).DetachFromDisposeScope();
        var targets = new double[data.Rows, states.Length];
        for (var k = 0; k < data.Rows; k++)
            for (var i = 0; i < states.Length; i++)
                targets[k, i] = (states[i][k] - mean[i]) / scale[i];
        _dataTargets = tensor(targets, dtype: ScalarType.Float64).DetachFromDisposeScope();
        _collocation = tensor(Collocation(low, high, options.CollocationPoints, options.Seed), dtype: ScalarType.Float64).DetachFromDisposeScope();
        _residualScale = problem.Equations.Select(_ => 1.0).ToArray();

        var translation = new TensorTranslation
        {
            Parameter = (name, _) => _model.Constants[name],
            Placeholders = problem.Hidden.ToDictionary(h => h.Name,
                h => (Func<IReadOnlyList<Tensor>, Tensor>)(args => _model.Hidden(h.Name, args))),
        };
        _rightHandSides = problem.Equations.Select(e => TensorTranslator.Translate(e.RightHandSide, translation)).ToArray();
        foreach (var h in problem.Hidden)
            _hiddenArguments[h.Name] = h.Arguments.Select(a => TensorTranslator.Translate(a, translation)).ToArray();
        _variables = problem.Equations.SelectMany(e => ExprModule.variables(e.RightHandSide)).Distinct().ToArray();
    }

    public PinnModel Model => _model;

    /// <summary>The collocation inputs of <paramref name="low"/>..<paramref name="high"/>: a uniform grid in time (ODE) or
    /// seeded uniform random points (PDE).</summary>
    private static double[,] Collocation(double[] low, double[] high, int count, long seed)
    {
        var points = new double[count, low.Length];
        if (low.Length == 1)
        {
            for (var k = 0; k < count; k++) points[k, 0] = low[0] + (high[0] - low[0]) * k / (count - 1);
            return points;
        }
        var random = new Random(unchecked((int)seed * 7919 + 3));
        for (var k = 0; k < count; k++)
            for (var j = 0; j < low.Length; j++)
                points[k, j] = low[j] + (high[j] - low[j]) * random.NextDouble();
        return points;
    }

    /// <summary>States, their derivatives and the other variables at <paramref name="inputs"/> (a leaf that requires grad).</summary>
    internal sealed class Evaluation
    {
        private readonly PinnTrainer _trainer;
        private readonly Dictionary<string, Tensor> _derivatives = [];

        public Evaluation(PinnTrainer trainer, Tensor inputs)
        {
            _trainer = trainer;
            Inputs = inputs;
            States = trainer._model.States(inputs);
            Variables = new Dictionary<string, Tensor>();
            var problem = trainer._problem;
            Variables[problem.Time] = inputs.select(1, 0);
            if (problem.Space is { } x) Variables[x] = inputs.select(1, 1);
            for (var i = 0; i < problem.States.Count; i++) Variables[problem.States[i]] = States.select(1, i);
            foreach (var v in trainer._variables)
                if (!Variables.ContainsKey(v) && problem.AsDerivative(v) is { } d) Variables[v] = Derivative(d.State, Code(d.Letters));
        }

        public Tensor Inputs { get; }
        public Tensor States { get; }
        public Dictionary<string, Tensor> Variables { get; }

        private string Code(string letters) =>
            new(letters.Select(c => c == _trainer._problem.Time[0] ? '0' : '1').ToArray());

        /// <summary>The time derivative of a state (the left side of its equation).</summary>
        public Tensor TimeDerivative(string state) => Derivative(state, "0");

        /// <summary>Derivative of a state along input columns given as a code of '0' (time) and '1' (space) characters.</summary>
        public Tensor Derivative(string state, string code)
        {
            if (code.Length == 0) return States.select(1, _trainer._problem.States.ToList().IndexOf(state));
            var key = state + ":" + code;
            if (_derivatives.TryGetValue(key, out var cached)) return cached;
            var previous = Derivative(state, code[..^1]);
            var gradient = autograd.grad([previous.sum()], [Inputs], retain_graph: true, create_graph: true)[0];
            var result = gradient.select(1, code[^1] - '0');
            _derivatives[key] = result;
            return result;
        }

        public Tensor Residual(int equation) =>
            TimeDerivative(_trainer._problem.Equations[equation].State) - _trainer._rightHandSides[equation](Variables);

        public Tensor[] HiddenArguments(string name) => _trainer._hiddenArguments[name].Select(f => f(Variables)).ToArray();
    }

    internal Evaluation Evaluate(Tensor inputs) => new(this, inputs);

    private Tensor DataLoss() => (_model.NormalisedStates(_dataInputs) - _dataTargets).square().mean();

    private (Tensor Total, Tensor Data, Tensor Residual) Loss()
    {
        var data = DataLoss();
        var evaluation = Evaluate(_collocation.detach().requires_grad_(true));
        Tensor? residual = null;
        for (var i = 0; i < _problem.Equations.Count; i++)
        {
            var r = (evaluation.Residual(i) / _residualScale[i]).square().mean();
            residual = residual is null ? r : residual + r;
        }
        residual = residual! / _problem.Equations.Count;
        var total = data + _options.ResidualWeight * residual;
        if (_options.HiddenPenalty > 0)
            foreach (var network in _model.HiddenNetworks.Values)
                foreach (var (name, p) in network.named_parameters())
                    if (name.EndsWith("weight", StringComparison.Ordinal)) total = total + _options.HiddenPenalty * p.square().mean();
        return (total, data, residual);
    }

    /// <summary>Sets the scales of residuals and hidden networks from the warmed-up surrogate at the collocation points.</summary>
    private void SetScales()
    {
        using var scope = NewDisposeScope();
        var evaluation = Evaluate(_collocation.detach().requires_grad_(true));
        _residualScale = _problem.Equations.Select(e =>
        {
            var d = evaluation.TimeDerivative(e.State).detach();
            var std = d.std().item<double>();
            var size = d.abs().mean().item<double>();
            return Math.Max(Math.Max(std, 0.1 * size), 1e-8);
        }).ToArray();
        foreach (var h in _problem.Hidden)
        {
            var args = evaluation.HiddenArguments(h.Name).Select(a => a.detach().expand(_collocation.shape[0])).ToArray();
            var centers = args.Select(a => a.mean().item<double>()).ToArray();
            var scales = args.Select((a, j) => Math.Max(a.std().item<double>(), 1e-6 * (1 + Math.Abs(centers[j])))).ToArray();
            var output = _problem.Equations.Select((e, i) => (e, i))
                .Where(p => ExprModule.subexpressions(p.e.RightHandSide).Any(s => s is Expr.Placeholder ph && ph.Item1 == h.Name))
                .Max(p => _residualScale[p.i]);
            _model.HiddenScaling[h.Name] = (tensor(centers, dtype: ScalarType.Float64).DetachFromDisposeScope(),
                tensor(scales, dtype: ScalarType.Float64).DetachFromDisposeScope(), output);
        }
    }

    public TrainingOutcome Train(Action<PinnProgress>? progress, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (_options.Threads is { } threads) TorchRuntime.UseIntraOpThreads(threads);
        var interrupted = false;
        var every = Math.Clamp((_options.Epochs + _options.WarmupEpochs) / 100, 1, 50);

        // 1. Warm-up: the surrogate alone fits the data.
        using (var warm = optim.Adam(_model.SurrogateParameters, _options.LearningRate))
            for (var step = 0; step < _options.WarmupEpochs && !interrupted; step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
                using var scope = NewDisposeScope();
                warm.zero_grad();
                var loss = DataLoss();
                loss.backward();
                warm.step();
                if (step % every == 0 || step == _options.WarmupEpochs - 1)
                    progress?.Invoke(new PinnProgress("warm-up", step + 1, _options.WarmupEpochs, loss.item<double>(), loss.item<double>(), double.NaN));
            }
        SetScales();

        // 2. Adam on everything, learning rate decaying tenfold.
        var adamSteps = 0;
        var parameters = _model.AllParameters.ToArray();
        using (var adam = optim.Adam(parameters, _options.LearningRate))
        {
            var scheduler = optim.lr_scheduler.ExponentialLR(adam, Math.Pow(0.1, 1.0 / Math.Max(1, _options.Epochs)));
            for (var step = 0; step < _options.Epochs && !interrupted; step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
                using var scope = NewDisposeScope();
                adam.zero_grad();
                var (loss, data, residual) = Loss();
                loss.backward();
                adam.step();
                scheduler.step();
                adamSteps++;
                if (step % every == 0 || step == _options.Epochs - 1)
                    progress?.Invoke(new PinnProgress("adam", step + 1, _options.Epochs, loss.item<double>(), data.item<double>(), residual.item<double>()));
            }
        }

        // 3. L-BFGS in chunks, undoing a chunk that does not help.
        var lbfgsDone = 0;
        if (_options.LbfgsIterations > 0 && !interrupted)
        {
            const int chunk = 20;
            using var lbfgs = optim.LBFGS(parameters, lr: 1.0, max_iter: chunk, history_size: 50);
            var best = CurrentLoss();
            while (lbfgsDone < _options.LbfgsIterations)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
                var snapshot = parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
                using (NewDisposeScope())
                {
                    lbfgs.step(() =>
                    {
                        lbfgs.zero_grad();
                        var (loss, _, _) = Loss();
                        loss.backward();
                        return loss;
                    });
                }
                lbfgsDone += chunk;
                var now = CurrentLoss();
                if (!double.IsFinite(now.Total) || now.Total > best.Total)
                {
                    using (no_grad())
                        for (var i = 0; i < parameters.Length; i++) parameters[i].copy_(snapshot[i]);
                    foreach (var s in snapshot) s.Dispose();
                    break;
                }
                foreach (var s in snapshot) s.Dispose();
                var improved = best.Total - now.Total;
                best = now;
                progress?.Invoke(new PinnProgress("lbfgs", Math.Min(lbfgsDone, _options.LbfgsIterations), _options.LbfgsIterations, now.Total, now.Data, now.Residual));
                if (improved < 1e-12 * Math.Max(1, now.Total)) break;
            }
        }
        var final = CurrentLoss();
        return new TrainingOutcome(final.Total, final.Data, final.Residual, adamSteps, Math.Min(lbfgsDone, _options.LbfgsIterations),
            watch.Elapsed.TotalSeconds, interrupted);
    }

    private (double Total, double Data, double Residual) CurrentLoss()
    {
        using var scope = NewDisposeScope();
        var (loss, data, residual) = Loss();
        return (loss.item<double>(), data.item<double>(), residual.item<double>());
    }
}
