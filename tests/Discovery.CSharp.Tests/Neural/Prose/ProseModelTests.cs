using Discovery.Neural;
using Discovery.Neural.Prose;
using Symbolic;
using static TorchSharp.torch;

namespace Discovery.Tests.Neural.Prose;

[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public class ProseModelTests
{
    private static readonly ProseDataOptions Data = ProseDataOptions.Default with { GuessProbability = 0.5 };

    private static List<ProseSample> Samples(int count, int seed) => new ProseDataGenerator(Data).Samples(seed).Take(count).ToList();

    [Fact]
    public void A_tiny_model_runs_forward_and_backward_and_learns_a_fixed_batch()
    {
        TorchRuntime.EnsureLoaded();
        var model = new ProseModel(ProseModelOptions.Tiny, seed: 1);
        var samples = Samples(4, 3);
        var options = new ProseTrainingOptions();
        var optimizer = optim.Adam(model.parameters(), 3e-3);
        float first = 0, last = 0;
        for (var step = 0; step < 15; step++)
        {
            using var scope = NewDisposeScope();
            var batch = ProseBatch.FromSamples(samples, 64, 6, ProseModelOptions.Tiny.MaxSymbolTokens);
            var (loss, dataLoss, symbolLoss) = ProseTrainer.Losses(model, batch, options);
            Assert.True(float.IsFinite(dataLoss.item<float>()) && float.IsFinite(symbolLoss.item<float>()));
            optimizer.zero_grad();
            loss.backward();
            if (step == 0)
            {
                Assert.All(model.parameters(), p => Assert.True(p.grad is not null && p.grad.isfinite().all().item<bool>()));
                Assert.True(model.parameters().Count(p => p.grad!.abs().sum().item<float>() > 0) > model.parameters().Count() / 2);
            }
            optimizer.step();
            last = symbolLoss.item<float>();
            if (step == 0) first = last;
        }
        Assert.True(last < first * 0.9, $"symbol loss {first} -> {last}");
    }

    [Fact]
    public void Shapes_follow_the_options_and_the_paper_size_is_available()
    {
        TorchRuntime.EnsureLoaded();
        var model = new ProseModel(ProseModelOptions.Tiny);
        using var scope = NewDisposeScope();
        var batch = ProseBatch.FromSamples(Samples(2, 4), 64, 6, 224);
        var memory = model.Encode(batch.Points, batch.Stats, batch.Symbols);
        Assert.Equal([2L, 128, 3], model.DecodeData(memory, batch.QueryTimes).shape);
        Assert.Equal(ProseTokenizer.VocabularySize, (int)model.DecodeSymbols(memory, batch.DecoderInput!).shape[2]);
        Assert.Equal((512, 8, 8, 8), (ProseModelOptions.Paper.Width, ProseModelOptions.Paper.Heads, ProseModelOptions.Paper.FusionLayers, ProseModelOptions.Paper.SymbolDecoderLayers));
        Assert.Throws<ArgumentException>(() => ProseModelOptions.BySize("huge"));
    }

    [Fact]
    public void Training_saves_a_checkpoint_and_resumes_from_it()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"prose-{Guid.NewGuid():N}");
        try
        {
            var training = new ProseTrainingOptions(Steps: 3, BatchSize: 2, WarmupSteps: 2, CheckpointEvery: 2, LogEvery: 1, Seed: 5);
            var first = ProseTrainer.Train(folder, ProseModelOptions.Tiny, Data, training);
            Assert.Equal(3, first.Info.Steps);
            Assert.Equal(3, first.Curve.Count);
            Assert.True(ProseModelFile.Exists(folder));
            var resumed = ProseTrainer.Train(folder, ProseModelOptions.Tiny, Data, training with { Steps = 5 });
            Assert.Equal(3, resumed.ResumedFrom);
            Assert.Equal(5, resumed.Info.Steps);
            Assert.Equal(10, resumed.Info.Samples);
            Assert.Equal(6, File.ReadAllLines(Path.Combine(folder, ProseModelFile.CurveFile)).Length);

            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            var stopped = ProseTrainer.Train(folder, ProseModelOptions.Tiny, Data, training with { Steps = 50 }, cancellation: cancelled.Token);
            Assert.True(stopped.Cancelled);
            Assert.Equal(5, ProseModelFile.ReadInfo(folder).Steps);
            Assert.Throws<ArgumentException>(() => ProseTrainer.Train(folder, ProseModelOptions.Small, Data, training));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void The_learning_rate_warms_up_then_decays_as_the_inverse_square_root()
    {
        var options = new ProseTrainingOptions(LearningRate: 1e-3, WarmupSteps: 100);
        Assert.Equal(5e-4, options.LearningRateAt(50), 12);
        Assert.Equal(1e-3, options.LearningRateAt(100), 12);
        Assert.Equal(5e-4, options.LearningRateAt(400), 12);
    }

    [Fact]
    public void An_untrained_model_predicts_shapes_and_reports_rather_than_throws_bad_decodings()
    {
        TorchRuntime.EnsureLoaded();
        var info = new ProseModelInfo(ProseModelOptions.Tiny with { MaxSymbolTokens = 12 }, Data.FamilyNames, 64, 128, 6, 0, 0, 0, 0, ProseTokenizer.VocabularySize);
        var predictor = new ProsePredictor(new ProseModel(info.Model, seed: 2), info);
        var sample = new ProseDataGenerator().Sample("lorenz", 2)!;
        var window = ProseEvaluation.Slice(sample.States, 0, 64);
        foreach (var beam in new[] { 1, 2 })
        {
            var prediction = predictor.Predict(sample.Times.Take(64).ToArray(), window, beam == 2 ? sample.Equations : null, beam);
            Assert.Equal(128, prediction.Continuation.GetLength(0));
            Assert.Equal(sample.Times[64], prediction.QueryTimes[0], 9);
            Assert.True(prediction.Tokens.Count <= 11);
            Assert.Equal(prediction.Decoding.IsValid, prediction.Decoding.Error is null);
        }
    }
}
