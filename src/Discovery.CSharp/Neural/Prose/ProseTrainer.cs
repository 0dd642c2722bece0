using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Discovery.Neural.Prose;

/// <summary>How to train a PROSE model.</summary>
/// <param name="Steps">Optimisation steps (in total, counting those of a resumed checkpoint).</param>
/// <param name="BatchSize">Instances per step.</param>
/// <param name="LearningRate">Peak learning rate of Adam.</param>
/// <param name="WarmupSteps">Linear warm-up to the peak, then decay as 1/sqrt(step).</param>
/// <param name="ClipNorm">Gradient norm clip.</param>
/// <param name="DataWeight">Weight of the data loss (MSE of the normalised continuation).</param>
/// <param name="SymbolWeight">Weight of the symbol loss (cross-entropy of the next token).</param>
/// <param name="Seed">Seed of the weights and of the data stream.</param>
/// <param name="CheckpointEvery">Save the model folder every this many steps (and at the end).</param>
/// <param name="LogEvery">Report progress (and a curve row) every this many steps.</param>
/// <param name="QueriesPerStep">Output times the data loss uses per step (a random subset of the predicted points, shared by the
/// batch; the operator decoder can be queried at any time); 0 uses them all.</param>
public sealed record ProseTrainingOptions(
    int Steps = 2000,
    int BatchSize = 32,
    double LearningRate = 1e-3,
    int WarmupSteps = 200,
    double ClipNorm = 1.0,
    double DataWeight = 1.0,
    double SymbolWeight = 1.0,
    int Seed = 0,
    int CheckpointEvery = 200,
    int LogEvery = 20,
    int QueriesPerStep = 32)
{
    /// <summary>The learning rate at 1-based <paramref name="step"/>: linear warm-up, then inverse-square-root decay.</summary>
    public double LearningRateAt(long step) =>
        LearningRate * Math.Min(step / (double)Math.Max(WarmupSteps, 1), Math.Sqrt(Math.Max(WarmupSteps, 1) / (double)Math.Max(step, 1)));

    /// <summary>Throws ArgumentException for impossible settings.</summary>
    public void Validate()
    {
        if (Steps < 1 || BatchSize < 1) throw new ArgumentException("steps and batch size must be at least 1");
        if (!(LearningRate > 0) || !(ClipNorm > 0)) throw new ArgumentException("the learning rate and the clip norm must be positive");
        if (!(DataWeight >= 0) || !(SymbolWeight >= 0) || DataWeight + SymbolWeight == 0) throw new ArgumentException("loss weights must be non-negative, not both 0");
        if (QueriesPerStep < 0) throw new ArgumentException("the queries per step must be non-negative");
        if (CheckpointEvery < 1 || LogEvery < 1) throw new ArgumentException("checkpoint and log intervals must be at least 1");
    }
}

/// <summary>One progress report of a training run.</summary>
public sealed record ProseProgress(long Step, int TotalSteps, double Loss, double DataLoss, double SymbolLoss, double LearningRate,
    double SamplesPerSecond, double Seconds);

/// <summary>How a training run ended.</summary>
public sealed record ProseTrainingResult(ProseModelInfo Info, IReadOnlyList<ProseProgress> Curve, bool Cancelled, long ResumedFrom);

/// <summary>
/// Trains a PROSE model on instances streamed from <see cref="ProseDataGenerator"/> (built by a background task while
/// the network trains): Adam with warm-up and inverse-square-root decay, gradient clipping, the weighted sum of the data
/// and symbol losses, a checkpoint of the model folder every few steps, resume from the folder's checkpoint, progress
/// reports, and cancellation that keeps the last checkpoint and saves the current state.
/// </summary>
public static class ProseTrainer
{
    /// <summary>
    /// Trains into <paramref name="folder"/>. When the folder already holds a model with the same sizes and families, training
    /// resumes from its step count (weights restored; Adam's moments restart). Throws ArgumentException for bad options.
    /// </summary>
    public static ProseTrainingResult Train(string folder, ProseModelOptions modelOptions, ProseDataOptions dataOptions, ProseTrainingOptions options,
        Action<ProseProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        dataOptions.Validate();
        modelOptions.Validate();
        TorchRuntime.EnsureLoaded();

        var model = new ProseModel(modelOptions, options.Seed);
        long startStep = 0, samples = 0;
        double previousSeconds = 0;
        if (ProseModelFile.Exists(folder))
        {
            var info = ProseModelFile.ReadInfo(folder);
            if (info.Model != modelOptions || !info.Families.SequenceEqual(dataOptions.FamilyNames))
                throw new ArgumentException($"{folder} holds a model of other sizes or families; use another folder to start afresh");
            model.load(Path.Combine(folder, ProseModelFile.WeightsFile));
            (startStep, samples, previousSeconds) = (info.Steps, info.Samples, info.Seconds);
        }
        model.train();

        ProseModelInfo Info(long step, long seen, double seconds) => new(modelOptions, dataOptions.FamilyNames.ToArray(), dataOptions.ObservedPoints,
            dataOptions.PredictedPoints, dataOptions.TimeEnd, step, seen, seconds, options.Seed, ProseTokenizer.VocabularySize);

        var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        // Instances are generated on the training thread: TorchSharp's implicit Scalars (e.g. the alpha of tensor + tensor)
        // are only finalised, never scoped, so a garbage collection started by another allocating thread in the middle of a
        // native call can free one that call still reads. One managed thread keeps collections between native calls.
        var generator = new ProseDataGenerator(dataOptions);
        var streamSeed = unchecked(options.Seed * 1_000_003 + (int)startStep);
        using var stream = generator.Samples(streamSeed).GetEnumerator();
        var queryRandom = new Random(unchecked(streamSeed + 17));
        var curve = new List<ProseProgress>();
        var clock = Stopwatch.StartNew();
        var windowClock = Stopwatch.StartNew();
        long windowSamples = 0;
        double sumLoss = 0, sumData = 0, sumSymbol = 0;
        var windowSteps = 0;
        var step = startStep;
        var cancelled = false;
        var curvePath = Path.Combine(folder, ProseModelFile.CurveFile);
        Directory.CreateDirectory(folder);
        if (!File.Exists(curvePath)) File.WriteAllText(curvePath, "step,loss,data_loss,symbol_loss,learning_rate,samples_per_second,seconds\n");
        while (step < options.Steps)
        {
            if (cancellation.IsCancellationRequested) { cancelled = true; break; }
            var batchSamples = new List<ProseSample>(options.BatchSize);
            while (batchSamples.Count < options.BatchSize && stream.MoveNext()) batchSamples.Add(stream.Current);
            step++;
            var learningRate = options.LearningRateAt(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            using (NewDisposeScope())
            {
                var batch = ProseBatch.FromSamples(batchSamples, dataOptions.ObservedPoints, dataOptions.TimeEnd, modelOptions.MaxSymbolTokens,
                    options.QueriesPerStep > 0 ? queryRandom : null, options.QueriesPerStep);
                var (loss, dataLoss, symbolLoss) = Losses(model, batch, options);
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters(), options.ClipNorm);
                optimizer.step();
                sumLoss += loss.item<float>();
                sumData += dataLoss.item<float>();
                sumSymbol += symbolLoss.item<float>();
            }
            windowSteps++;
            samples += batchSamples.Count;
            windowSamples += batchSamples.Count;
            if (step % options.LogEvery == 0 || step == options.Steps)
            {
                var report = new ProseProgress(step, options.Steps, sumLoss / windowSteps, sumData / windowSteps, sumSymbol / windowSteps, learningRate,
                    windowSamples / Math.Max(windowClock.Elapsed.TotalSeconds, 1e-9), previousSeconds + clock.Elapsed.TotalSeconds);
                curve.Add(report);
                File.AppendAllText(curvePath, string.Join(',', new[]
                {
                    report.Step.ToString(CultureInfo.InvariantCulture), F(report.Loss), F(report.DataLoss), F(report.SymbolLoss),
                    F(report.LearningRate), F(report.SamplesPerSecond), F(report.Seconds),
                }) + "\n");
                progress?.Invoke(report);
                (sumLoss, sumData, sumSymbol, windowSteps, windowSamples) = (0, 0, 0, 0, 0);
                windowClock.Restart();
            }
            if (step % options.CheckpointEvery == 0)
                ProseModelFile.Save(folder, model, Info(step, samples, previousSeconds + clock.Elapsed.TotalSeconds));
        }
        var final = Info(step, samples, previousSeconds + clock.Elapsed.TotalSeconds);
        ProseModelFile.Save(folder, model, final);
        model.eval();
        return new ProseTrainingResult(final, curve, cancelled, startStep);
    }

    /// <summary>The weighted loss and its two parts (data MSE, symbol cross-entropy) on one batch.</summary>
    public static (Tensor Loss, Tensor DataLoss, Tensor SymbolLoss) Losses(ProseModel model, ProseBatch batch, ProseTrainingOptions options)
    {
        var memory = model.Encode(batch.Points, batch.Stats, batch.Symbols);
        var predicted = model.DecodeData(memory, batch.QueryTimes);
        var dataLoss = nn.functional.mse_loss(predicted, batch.TargetStates!);
        var logits = model.DecodeSymbols(memory, batch.DecoderInput!);
        var symbolLoss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), batch.DecoderTarget!.reshape(-1), ignore_index: 0);
        return (dataLoss * options.DataWeight + symbolLoss * options.SymbolWeight, dataLoss, symbolLoss);
    }

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
