using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Discovery.Neural.Plrnn;

/// <summary>Where training stands after an epoch.</summary>
public sealed record PlrnnProgress(int Epoch, int Epochs, double Loss, double LearningRate, double Alpha, double Seconds);

/// <summary>What training produced.</summary>
/// <param name="Model">The trained model: the one the model selection kept (<see cref="TrainingOptions.SelectEvery"/>), else the state after the last completed batch.</param>
/// <param name="Losses">Mean training loss of each epoch (including epochs of an earlier run that was resumed).</param>
/// <param name="Epochs">Epochs completed in all.</param>
/// <param name="Interrupted">True when cancellation stopped training early.</param>
/// <param name="Seconds">Wall-clock training time (summed over resumes).</param>
/// <param name="StepsPerSecond">Gradient steps per second in this run.</param>
/// <param name="Alpha">The final generalised-forcing alpha (1 for sparse forcing).</param>
public sealed record PlrnnTrainingResult(PlrnnMap Model, IReadOnlyList<double> Losses, int Epochs, bool Interrupted, double Seconds,
    double StepsPerSecond, double Alpha)
{
    /// <summary>The state after the last completed batch (the same as <see cref="Model"/> when no selection took place).</summary>
    public PlrnnMap? Last { get; init; }

    /// <summary>The epoch after which the selected model was taken; null when the model is the last one.</summary>
    public int? SelectedEpoch { get; init; }

    /// <summary>Every check of the model selection (epoch, D_stsp of the free run against the training data).</summary>
    public IReadOnlyList<SelectionPoint> Selection { get; init; } = [];
}

/// <summary>
/// Trains a PLRNN-family model on z-scored time series by backpropagation through time over teacher-forced sequences:
/// batches of random sub-sequences, the observed units forced to the data (sparse: every tau steps; generalised: every
/// step with the annealed alpha), mean squared error of the read-out, RAdam with an exponentially decaying learning rate,
/// and (as the authors' AL-RNN tutorial does) the model with the best D_stsp of a free run against the training data kept.
/// </summary>
public sealed class PlrnnTrainer(TrainingOptions options)
{
    public TrainingOptions Options { get; } = options;

    /// <summary>
    /// Trains <paramref name="initial"/> on <paramref name="series"/> (each T x N, already z-scored). Starts at epoch
    /// <paramref name="resume"/>.Epoch when a checkpoint is given. Cancellation stops after the current batch and returns
    /// the model trained so far, marked <see cref="PlrnnTrainingResult.Interrupted"/>.
    /// </summary>
    public PlrnnTrainingResult Train(PlrnnMap initial, IReadOnlyList<double[,]> series, IProgress<PlrnnProgress>? progress = null,
        CancellationToken cancellationToken = default, PlrnnCheckpoint? resume = null)
    {
        Options.Validate();
        TorchRuntime.EnsureLoaded();
        var n = initial.Observed;
        var length = Options.SequenceLength;
        foreach (var s in series)
            if (s.GetLength(1) != n) throw new ArgumentException($"every series needs {n} columns (got {s.GetLength(1)})");
        var usable = series.Where(s => s.GetLength(0) > length).ToArray();
        if (usable.Length == 0)
            throw new ArgumentException($"the data are too short for sequences of {length} steps (longest series: {series.Max(s => s.GetLength(0))} rows)");

        var start = resume?.ToMap() ?? initial;
        var native = Options.Backend == TrainingBackend.Native || (Options.Backend == TrainingBackend.Auto && NativeEngine.Supports(start));
        if (!native) TorchRuntime.UseIntraOpThreads(Math.Max(1, Options.Threads));
        using ITrainingEngine engine = native ? new NativeEngine(start, Options) : new TorchEngine(start, Options);
        // The optimizer continues where it stopped (a checkpoint of the other backend, or of an older version, restarts it).
        if (resume?.Optimizer is { } optimizerState) engine.LoadOptimizer(optimizerState);
        var losses = new List<double>(resume?.Losses ?? []);
        var alpha = resume?.Alpha ?? (Options.Forcing == ForcingKind.Generalised ? Options.AlphaStart : 1.0);
        var firstEpoch = resume?.Epoch ?? 0;
        var secondsBefore = resume?.Seconds ?? 0;
        var decay = Options.Epochs > 0 ? Math.Log(Options.EndLearningRate / Options.StartLearningRate) / Options.Epochs : 0;
        var watch = Stopwatch.StartNew();
        var steps = 0;
        var interrupted = false;
        var weights = usable.Select(s => (double)(s.GetLength(0) - length)).ToArray();
        var selection = new List<SelectionPoint>(resume?.Selection ?? []);
        var selected = resume?.Selected?.ToMap();
        var selectedEpoch = resume?.SelectedEpoch;
        var selectedScore = selection.Where(p => p.Epoch == selectedEpoch).Select(p => p.Score).DefaultIfEmpty(double.PositiveInfinity).First();
        var reference = Options.SelectEvery > 0 ? Stack(series) : null;

        for (var epoch = firstEpoch; epoch < Options.Epochs && !interrupted; epoch++)
        {
            var learningRate = Options.StartLearningRate * Math.Exp(decay * epoch);
            // One generator per epoch: a resumed run draws the same batches as an uninterrupted one. The seed is mixed
            // by hand: HashCode.Combine is salted per process, and gave other batches in every run.
            var random = new Random(unchecked(Options.Seed * 1_000_003 + epoch * 7919 + 1));
            var sum = 0.0;
            var batches = 0;
            for (var b = 0; b < Options.BatchesPerEpoch; b++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
                var batch = SampleBatch(usable, weights, random, n);
                var states = Options.Forcing == ForcingKind.Generalised && steps % Options.AlphaEvery == 0 ? new List<double[][]>() : null;
                var loss = engine.Step(batch, length, Options.BatchSize, alpha, learningRate, states);
                if (states is not null)
                {
                    var target = Math.Max(0, 1 - 1 / JacobianGrowth(engine.Snapshot(), states));
                    alpha = Options.AlphaDecay * alpha + (1 - Options.AlphaDecay) * target;
                }
                sum += loss;
                batches++;
                steps++;
            }
            if (batches == 0) break;
            // An epoch cut short by cancellation keeps its updates in the model but is not counted as done, so that a
            // resumed run repeats it.
            var complete = batches == Options.BatchesPerEpoch;
            if (complete) losses.Add(sum / batches);
            var done = complete ? epoch + 1 : epoch;
            progress?.Report(new PlrnnProgress(done, Options.Epochs, sum / batches, learningRate, alpha, secondsBefore + watch.Elapsed.TotalSeconds));
            if (complete && reference is not null && (epoch % Options.SelectEvery == 0 || done == Options.Epochs))
            {
                // The reference keeps the first model with the lowest D_stsp (a later tie does not replace it) and never
                // keeps a model whose free run left the data's range (NaN).
                var candidate = engine.Snapshot();
                var score = SelectionScore(candidate, reference, Options.SelectSteps);
                selection.Add(new SelectionPoint(done, score));
                if (score < selectedScore)
                {
                    selected = candidate;
                    selectedEpoch = done;
                    selectedScore = score;
                }
            }
            if (Options.CheckpointPath is { } path && (done % Math.Max(1, Options.CheckpointEvery) == 0 || done == Options.Epochs || interrupted))
                (PlrnnCheckpoint.Of(engine.Snapshot(), done, alpha, losses, secondsBefore + watch.Elapsed.TotalSeconds) with
                {
                    Optimizer = engine.SaveOptimizer(),
                    Selected = selected is null ? null : PlrnnCheckpoint.Of(selected, selectedEpoch ?? done, alpha, [], 0),
                    SelectedEpoch = selectedEpoch,
                    Selection = selection.ToArray(),
                }).Save(path);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var last = engine.Snapshot();
        var keep = Options.SelectEvery > 0 && selected is not null;
        return new PlrnnTrainingResult(keep ? selected! : last, losses, losses.Count, interrupted, secondsBefore + seconds,
            seconds > 0 ? steps / seconds : 0, alpha)
        {
            Last = last,
            SelectedEpoch = keep ? selectedEpoch : null,
            Selection = selection,
        };
    }

    /// <summary>
    /// The score of the model selection: D_stsp (30 bins per dimension; the Gaussian-mixture form above 5 dimensions)
    /// between the training data <paramref name="truth"/> (T x N, all series stacked) and a free run of
    /// <paramref name="steps"/> steps started at the first training observation, as the authors' tutorial measures it
    /// during training. NaN when the free run diverges (a value that is not finite) or never enters the data's range.
    /// </summary>
    public static double SelectionScore(PlrnnMap map, double[,] truth, int steps)
    {
        var n = truth.GetLength(1);
        var x0 = new double[n];
        for (var i = 0; i < n; i++) x0[i] = truth[0, i];
        return PlrnnMetrics.StateSpaceDivergenceFor(truth, map.Observe(map.Generate(map.InitialState(x0), steps)));
    }

    private static double[,] Stack(IReadOnlyList<double[,]> series)
    {
        var n = series[0].GetLength(1);
        var rows = new double[series.Sum(s => s.GetLength(0)), n];
        var r = 0;
        foreach (var s in series)
            for (var t = 0; t < s.GetLength(0); t++, r++)
                for (var i = 0; i < n; i++) rows[r, i] = s[t, i];
        return rows;
    }

    /// <summary>Time-major batch: (T + 1) x S x N values of S random sub-sequences (noise added to the forcing signal).</summary>
    private double[] SampleBatch(IReadOnlyList<double[,]> series, double[] weights, Random random, int n)
    {
        var length = Options.SequenceLength;
        var size = Options.BatchSize;
        var values = new double[(length + 1) * size * n];
        var total = weights.Sum();
        for (var s = 0; s < size; s++)
        {
            var pick = random.NextDouble() * total;
            var k = 0;
            while (k < weights.Length - 1 && pick >= weights[k]) pick -= weights[k++];
            var data = series[k];
            // Any start whose T + 1 rows fit, the last one included (the tutorial's randint(0, len) includes len).
            var first = random.Next(data.GetLength(0) - length);
            for (var t = 0; t <= length; t++)
                for (var i = 0; i < n; i++)
                {
                    var noise = Options.InputNoise > 0 ? Options.InputNoise * PlrnnInitialisation.Normal(random) : 0;
                    values[(t * size + s) * n + i] = data[first + t, i] + noise;
                }
        }
        return values;
    }

    /// <summary>
    /// G, the growth of the Jacobian norm along the sequences: for each sequence the geometric mean of the spectral norms
    /// of the Jacobians along it (an upper bound of the norm of their product per step), the largest over sequences.
    /// </summary>
    public static double JacobianGrowth(PlrnnMap map, IReadOnlyList<double[][]> sequences)
    {
        var growth = 0.0;
        foreach (var sequence in sequences)
        {
            var logSum = 0.0;
            var count = 0;
            for (var t = 0; t < sequence.Length; t += 2)
            {
                logSum += Math.Log(Math.Max(1e-12, PlrnnMap.SpectralNorm(map.Jacobian(sequence[t]))));
                count++;
            }
            if (count > 0) growth = Math.Max(growth, Math.Exp(logSum / count));
        }
        return growth;
    }
}
