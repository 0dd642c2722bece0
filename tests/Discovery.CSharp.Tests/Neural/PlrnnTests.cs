using Discovery.Data;
using Discovery.Neural;
using Discovery.Neural.Plrnn;
using Discovery.Systems;

namespace Discovery.Tests.Neural;

/// <summary>Training, metrics and symbolic codes of the PLRNN family, on tiny problems. In the TorchSharp collection: the
/// torch backend sets the process-wide thread count, which breaks a training on another test thread.</summary>
[Collection(TorchCollection.Name)]
public class PlrnnTests
{
    /// <summary>A noisy sine/cosine pair (a limit cycle), z-scored, T x 2.</summary>
    internal static double[,] Circle(int steps, double dt = 0.1, double noise = 0.0, int seed = 1)
    {
        var random = new Random(seed);
        var x = new double[steps, 2];
        for (var t = 0; t < steps; t++)
        {
            x[t, 0] = Math.Sqrt(2) * Math.Sin(t * dt) + noise * (random.NextDouble() - 0.5);
            x[t, 1] = Math.Sqrt(2) * Math.Cos(t * dt) + noise * (random.NextDouble() - 0.5);
        }
        return x;
    }

    private static TrainingOptions Tiny(TrainingBackend backend, ForcingKind forcing = ForcingKind.Sparse, int epochs = 1, int batches = 1,
        double lr = 1e-3) =>
        new(Epochs: epochs, BatchesPerEpoch: batches, BatchSize: 4, SequenceLength: 12, Forcing: forcing, ForcingInterval: 4,
            StartLearningRate: lr, EndLearningRate: lr, AlphaStart: 0.6, AlphaDecay: 1.0, Seed: 3, Backend: backend);

    [Theory]
    [InlineData(PlrnnKind.AlRnn, ForcingKind.Sparse)]
    [InlineData(PlrnnKind.AlRnn, ForcingKind.Generalised)]
    [InlineData(PlrnnKind.Plrnn, ForcingKind.Sparse)]
    [InlineData(PlrnnKind.Plrnn, ForcingKind.Generalised)]
    public void Native_gradients_take_the_same_first_step_as_torch_autograd(PlrnnKind kind, ForcingKind forcing)
    {
        TorchRuntime.EnsureLoaded();
        var data = Circle(200);
        var start = PlrnnInitialisation.Random(new PlrnnOptions(kind, Latent: 5, Observed: 2, Relu: 2), seed: 4);
        // RAdam's first step is p - lr * g: with lr = 1 the change of each parameter is minus its gradient.
        var native = new PlrnnTrainer(Tiny(TrainingBackend.Native, forcing, lr: 1)).Train(start, [data]).Model;
        var torch = new PlrnnTrainer(Tiny(TrainingBackend.Torch, forcing, lr: 1)).Train(start, [data]).Model;
        var moved = 0.0;
        for (var i = 0; i < start.Latent; i++)
        {
            Assert.Equal(torch.A[i], native.A[i], 4);
            Assert.Equal(torch.H[i], native.H[i], 4);
            moved += Math.Abs(native.A[i] - start.A[i]);
            for (var j = 0; j < 2; j++) Assert.Equal(torch.B[j, i], native.B[j, i], 4);
        }
        var wNative = WeightsOf(native);
        var wTorch = WeightsOf(torch);
        for (var i = 0; i < start.Latent; i++)
            for (var j = 0; j < start.Latent; j++) Assert.Equal(wTorch[i, j], wNative[i, j], 4);
        Assert.True(moved > 1e-3, "the step should move the parameters");
    }

    private static double[,] WeightsOf(PlrnnMap map) => map switch
    {
        AlrnnMap a => a.W,
        VanillaPlrnnMap v => v.W,
        _ => throw new ArgumentException("no W"),
    };

    [Theory]
    [InlineData(PlrnnKind.AlRnn, TrainingBackend.Native)]
    [InlineData(PlrnnKind.ShallowPlrnn, TrainingBackend.Torch)]
    [InlineData(PlrnnKind.ClippedShallowPlrnn, TrainingBackend.Torch)]
    public void Training_reduces_the_loss(PlrnnKind kind, TrainingBackend backend)
    {
        var data = Circle(400);
        var start = PlrnnInitialisation.Random(new PlrnnOptions(kind, Latent: 6, Observed: 2, Relu: 2, Hidden: 8), seed: 1);
        var options = Tiny(backend, epochs: 15, batches: 10, lr: 5e-2) with { EndLearningRate = 5e-3, BatchSize = 8, SequenceLength = 20, ForcingInterval = 5 };
        var result = new PlrnnTrainer(options).Train(start, [data]);
        Assert.Equal(15, result.Losses.Count);
        Assert.True(result.Losses[^1] < 0.9 * result.Losses[0], $"loss {result.Losses[0]} -> {result.Losses[^1]}");
    }

    [Fact]
    public void A_series_of_one_sequence_plus_its_target_row_is_long_enough_to_train_on()
    {
        var start = PlrnnInitialisation.Random(new PlrnnOptions(PlrnnKind.AlRnn, 5, 2, 2), seed: 2);
        var options = Tiny(TrainingBackend.Native, epochs: 1, batches: 2) with { SelectEvery = 0 };
        var result = new PlrnnTrainer(options).Train(start, [Circle(options.SequenceLength + 1)]);
        Assert.Single(result.Losses);
        Assert.Throws<ArgumentException>(() => new PlrnnTrainer(options).Train(start, [Circle(options.SequenceLength)]));
    }

    [Fact]
    public void Input_noise_changes_the_batches_reproducibly_for_a_seed()
    {
        var start = PlrnnInitialisation.Random(new PlrnnOptions(PlrnnKind.AlRnn, 5, 2, 2), seed: 2);
        var options = Tiny(TrainingBackend.Native, epochs: 2, batches: 3) with { SelectEvery = 0 };
        var clean = new PlrnnTrainer(options).Train(start, [Circle(200)]);
        var noisy = new PlrnnTrainer(options with { InputNoise = 0.05 }).Train(start, [Circle(200)]);
        var again = new PlrnnTrainer(options with { InputNoise = 0.05 }).Train(start, [Circle(200)]);
        Assert.NotEqual(clean.Losses, noisy.Losses);
        Assert.Equal(noisy.Losses, again.Losses);
        Assert.Equal(noisy.Model.A, again.Model.A);
    }

    [Fact]
    public void Generalised_forcing_anneals_alpha_towards_the_jacobian_estimate()
    {
        var data = Circle(300);
        var start = PlrnnInitialisation.Random(new PlrnnOptions(PlrnnKind.AlRnn, 5, 2, 2), seed: 2);
        var options = Tiny(TrainingBackend.Native, ForcingKind.Generalised, epochs: 2, batches: 10) with { AlphaStart = 1.0, AlphaDecay = 0.5, AlphaEvery = 1 };
        var result = new PlrnnTrainer(options).Train(start, [data]);
        // The initial A has spectral radius 1 at most and W is tiny, so G is near or below 1 and a* = max(0, 1 - 1/G) is small.
        Assert.InRange(result.Alpha, 0.0, 0.5);
    }

    [Fact]
    public void Cancelled_training_returns_the_model_so_far_marked_interrupted()
    {
        var start = PlrnnInitialisation.Random(new PlrnnOptions(PlrnnKind.AlRnn, 5, 2, 2), seed: 2);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var result = new PlrnnTrainer(Tiny(TrainingBackend.Native, epochs: 5, batches: 5)).Train(start, [Circle(200)], cancellationToken: cancel.Token);
        Assert.True(result.Interrupted);
        Assert.Empty(result.Losses);
        Assert.Equal(start.A, result.Model.A);
    }

    [Fact]
    public void Cancelling_after_the_first_epoch_keeps_that_epoch_and_its_trained_model()
    {
        var start = PlrnnInitialisation.Random(new PlrnnOptions(PlrnnKind.AlRnn, 5, 2, 2), seed: 2);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(_ => cancel.Cancel());
        var result = new PlrnnTrainer(Tiny(TrainingBackend.Native, epochs: 5, batches: 5)).Train(start, [Circle(200)], progress, cancel.Token);
        Assert.True(result.Interrupted);
        Assert.Single(result.Losses);
        Assert.NotEqual(start.A, result.Model.A);
    }

    private sealed class SynchronousProgress(Action<PlrnnProgress> report) : IProgress<PlrnnProgress>
    {
        public void Report(PlrnnProgress value) => report(value);
    }

    [Fact]
    public void Checkpoint_round_trips_the_model_and_resume_continues_the_epochs()
    {
        var path = Path.Combine(Path.GetTempPath(), $"plrnn-{Guid.NewGuid():N}.json");
        try
        {
            var start = PlrnnInitialisation.Random(new PlrnnOptions(PlrnnKind.AlRnn, 5, 2, 2), seed: 2);
            var options = Tiny(TrainingBackend.Native, epochs: 2, batches: 3) with { CheckpointPath = path, CheckpointEvery = 1 };
            var first = new PlrnnTrainer(options).Train(start, [Circle(200)]);
            var checkpoint = PlrnnCheckpoint.Load(path);
            Assert.Equal(2, checkpoint.Epoch);
            var restored = checkpoint.ToMap();
            var z = new[] { 0.3, -0.2, 0.5, -0.7, 0.1 };
            Assert.Equal(first.Last!.Step(z), restored.Step(z));

            var resumed = new PlrnnTrainer(options with { Epochs = 4 }).Train(start, [Circle(200)], resume: checkpoint);
            Assert.Equal(4, resumed.Losses.Count);
            Assert.Equal(first.Losses, resumed.Losses.Take(2));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Training_returns_the_checked_model_with_the_lowest_state_space_divergence_on_the_training_data()
    {
        var data = Circle(300);
        var start = PlrnnInitialisation.Random(new PlrnnOptions(PlrnnKind.AlRnn, 5, 2, 2), seed: 2);
        var options = Tiny(TrainingBackend.Native, epochs: 7, batches: 4, lr: 3e-2) with { EndLearningRate = 3e-3, SelectEvery = 3, SelectSteps = 400 };
        var result = new PlrnnTrainer(options).Train(start, [data]);
        // Checked after epochs 1, 4 and 7 (every third epoch from the first, and the last).
        Assert.Equal([1, 4, 7], result.Selection.Select(p => p.Epoch));
        var best = result.Selection.Where(p => double.IsFinite(p.Score)).MinBy(p => p.Score)!;
        Assert.Equal(best.Epoch, result.SelectedEpoch);
        Assert.Equal(best.Score, PlrnnTrainer.SelectionScore(result.Model, data, 400));
        Assert.Equal(result.Selection[^1].Score, PlrnnTrainer.SelectionScore(result.Last!, data, 400));

        var last = new PlrnnTrainer(options with { SelectEvery = 0 }).Train(start, [data]);
        Assert.Empty(last.Selection);
        Assert.Null(last.SelectedEpoch);
        Assert.Equal(result.Last!.A, last.Model.A);
        Assert.Same(last.Last, last.Model);
    }

    [Fact]
    public void Selection_score_is_zero_for_a_model_that_replays_its_training_data_and_nan_when_its_run_diverges()
    {
        // A rotation reproduces the circle exactly: the same points, so the same histogram.
        const double dt = 0.1;
        var (c, s) = (Math.Cos(dt), Math.Sin(dt));
        var rotation = new AlrnnMap([c, c, 0], new double[,] { { 0, s, 0 }, { -s, 0, 0 }, { 0, 0, 0 } }, [0, 0, -1], relu: 1, observed: 2);
        var circle = Circle(2001, dt);
        var shifted = new double[2000, 2];
        for (var t = 0; t < 2000; t++) (shifted[t, 0], shifted[t, 1]) = (circle[t + 1, 0], circle[t + 1, 1]);
        Assert.InRange(PlrnnTrainer.SelectionScore(rotation, circle, 2000), 0, 0.01);
        Assert.InRange(PlrnnMetrics.StateSpaceDivergence(circle, shifted), 0, 0.01);
        var exploding = new AlrnnMap([2, 2, 0], new double[3, 3], [0, 0, 0], relu: 1, observed: 2);
        Assert.True(double.IsNaN(PlrnnTrainer.SelectionScore(exploding, circle, 2000)));
    }

    [Theory]
    [InlineData(PlrnnKind.AlRnn, TrainingBackend.Native)]
    [InlineData(PlrnnKind.ShallowPlrnn, TrainingBackend.Torch)]
    public void Resuming_from_a_checkpoint_takes_the_same_steps_as_an_uninterrupted_run(PlrnnKind kind, TrainingBackend backend)
    {
        var path = Path.Combine(Path.GetTempPath(), $"plrnn-{Guid.NewGuid():N}.json");
        try
        {
            var start = PlrnnInitialisation.Random(new PlrnnOptions(kind, Latent: 5, Observed: 2, Relu: 2, Hidden: 6), seed: 2);
            var data = Circle(200);
            var options = Tiny(backend, epochs: 4, batches: 3, lr: 1e-2) with { EndLearningRate = 1e-3 };
            var whole = new PlrnnTrainer(options).Train(start, [data]);

            // Stop after two epochs (the checkpoint of epoch 2 is written), then resume to the end.
            using var cancel = new CancellationTokenSource();
            var stopAtTwo = new SynchronousProgress(p => { if (p.Epoch == 2) cancel.Cancel(); });
            var checkpointing = options with { CheckpointPath = path, CheckpointEvery = 2 };
            var stopped = new PlrnnTrainer(checkpointing).Train(start, [data], stopAtTwo, cancel.Token);
            Assert.True(stopped.Interrupted);
            var checkpoint = PlrnnCheckpoint.Load(path);
            Assert.Equal(2, checkpoint.Epoch);
            Assert.NotNull(checkpoint.Optimizer);
            if (backend == TrainingBackend.Native) Assert.Equal(2 * 3, checkpoint.Optimizer!.Step);

            var resumed = new PlrnnTrainer(checkpointing).Train(start, [data], resume: checkpoint);
            Assert.Equal(whole.Losses, resumed.Losses);
            Assert.Equal(whole.Selection, resumed.Selection);
            Assert.Equal(whole.SelectedEpoch, resumed.SelectedEpoch);
            Assert.Equal(whole.Model.A, resumed.Model.A);
            Assert.Equal(whole.Model.H, resumed.Model.H);
            var z = new[] { 0.3, -0.2, 0.5, -0.7, 0.1 };
            Assert.Equal(whole.Model.Step(z), resumed.Model.Step(z));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Identical_data_give_a_state_space_divergence_and_spectrum_distance_of_zero()
    {
        var x = Circle(2000, noise: 0.2);
        Assert.Equal(0, PlrnnMetrics.StateSpaceDivergence(x, x), 9);
        Assert.Equal(0, PlrnnMetrics.PowerSpectrumError(x, x), 6);
        Assert.Equal(0, PlrnnMetrics.StateSpaceDivergenceGmm(x, x, 0.1, samples: 200), 9);
    }

    [Fact]
    public void State_space_divergence_is_small_for_the_same_attractor_and_large_for_a_different_one()
    {
        // Two stretches of one noisy limit cycle against a cycle of half the radius.
        var long_ = Circle(40000, dt: 0.013, noise: 0.3);
        var first = new double[20000, 2];
        var second = new double[20000, 2];
        var smaller = new double[20000, 2];
        for (var t = 0; t < 20000; t++)
            for (var i = 0; i < 2; i++)
            {
                first[t, i] = long_[t, i];
                second[t, i] = long_[20000 + t, i];
                smaller[t, i] = 0.5 * long_[20000 + t, i];
            }
        var same = PlrnnMetrics.StateSpaceDivergence(first, second);
        var different = PlrnnMetrics.StateSpaceDivergence(first, smaller);
        Assert.InRange(same, 0, 0.5);
        Assert.True(different > 10 * same, $"same {same}, different {different}");
        Assert.True(PlrnnMetrics.StateSpaceDivergenceGmm(first, smaller, variance: 0.01, samples: 200)
                    > 10 * PlrnnMetrics.StateSpaceDivergenceGmm(first, second, variance: 0.01, samples: 200));
    }

    [Fact]
    public void Power_spectrum_distance_separates_different_frequencies()
    {
        var n = 4000;
        var slow = new double[n, 1];
        var fast = new double[n, 1];
        for (var t = 0; t < n; t++)
        {
            slow[t, 0] = Math.Sin(0.05 * t);
            fast[t, 0] = Math.Sin(0.5 * t);
        }
        Assert.True(PlrnnMetrics.PowerSpectrumError(slow, fast) > 0.9);
        Assert.Equal(1.0, PlrnnMetrics.HellingerDistance([1.0, 0.0], [0.0, 1.0]), 12);
    }

    [Fact]
    public void Gaussian_filter_keeps_constants_and_reflects_at_the_edges_like_scipy()
    {
        var constant = Enumerable.Repeat(3.0, 50).ToArray();
        Assert.All(PlrnnMetrics.GaussianFilter(constant, 5), v => Assert.Equal(3.0, v, 12));
        // scipy.ndimage.gaussian_filter1d([1, 0, 0, 0, 0], 1): the reflected 1 at index -1 adds w1 to the first value,
        // the one at -1 and -2 (reflected to 0 and 1) gives w1 + w2 to the second: [0.6409, 0.2960, 0.0584, 0.0046, 0.0001].
        var filtered = PlrnnMetrics.GaussianFilter([1, 0, 0, 0, 0], 1);
        Assert.Equal(0.64091, filtered[0], 4);
        Assert.Equal(0.29596, filtered[1], 4);
        Assert.Equal(0.05842, filtered[2], 4);
        Assert.Equal(0.00457, filtered[3], 4);
    }

    [Fact]
    public void Prediction_error_of_the_generating_map_is_zero()
    {
        var map = new AlrnnMap([0.9, 0.5], new double[,] { { 0, 0.1 }, { 0.2, 0 } }, [0.1, -0.1], relu: 1, observed: 2);
        var z = new[] { 1.0, -0.5 };
        var rows = new[] { z }.Concat(map.Generate(z, 99)).ToArray();
        var x = map.Observe(rows);
        Assert.Equal(0, PlrnnMetrics.PredictionError(map, x, steps: 10), 12);
    }

    /// <summary>Three relu units and a cyclic shift: 100 -> 010 -> 001 -> 100 ...</summary>
    private static AlrnnMap CyclicShift() =>
        new(a: [0, 0, 0], w: new double[,] { { 0, 0, 1 }, { 1, 0, 0 }, { 0, 1, 0 } }, h: [0, 0, 0], relu: 3, observed: 1);

    [Fact]
    public void Codes_of_a_hand_built_alrnn_follow_its_cycle()
    {
        var map = CyclicShift();
        var latent = map.Generate([1.0, -1.0, -1.0], 30);
        var codes = SymbolicCodes.Sequence(map, latent);
        Assert.Equal(["010", "001", "100", "010"], codes.Take(4));
        var summary = SymbolicCodes.Summarise(map, latent);
        Assert.Equal(3, summary.Regions.Count);
        Assert.Equal(8, summary.TotalRegions);
        Assert.All(summary.Regions, r => Assert.Equal(10, r.Count));
        Assert.Equal(3, summary.Transitions.Count);
        Assert.Contains(summary.Transitions, t => t is { From: "010", To: "001", Probability: 1.0 });
        Assert.Contains(summary.Transitions, t => t is { From: "100", To: "010", Probability: 1.0 });
        Assert.DoesNotContain(summary.Transitions, t => t.From == t.To);
    }

    [Fact]
    public void Transition_probabilities_count_self_transitions_and_sum_to_one_per_region()
    {
        var summary = SymbolicCodes.Summarise(1, ["0", "0", "1", "0", "0", "0", "1", "1"]);
        Assert.Equal(["0", "1"], summary.Regions.Select(r => r.Code));
        Assert.Equal(5, summary.Regions[0].Count);
        var fromZero = summary.Transitions.Where(t => t.From == "0").ToDictionary(t => t.To, t => t.Probability);
        Assert.Equal(3.0 / 5, fromZero["0"], 12);
        Assert.Equal(2.0 / 5, fromZero["1"], 12);
        foreach (var group in summary.Transitions.GroupBy(t => t.From)) Assert.Equal(1.0, group.Sum(t => t.Probability), 12);
    }

    [Fact]
    public void The_affine_map_of_a_state_s_subregion_gives_the_same_step_as_the_network()
    {
        var random = new Random(9);
        var options = new PlrnnOptions(PlrnnKind.AlRnn, Latent: 6, Observed: 2, Relu: 3);
        var map = (AlrnnMap)PlrnnInitialisation.Random(options, seed: 9);
        var w = PlrnnInitialisation.Gaussian(6, 6, 0.5, random);
        map = new AlrnnMap(map.A, w, [0.1, -0.2, 0.3, 0.0, 0.1, -0.1], 3, 2);
        for (var k = 0; k < 50; k++)
        {
            var z = Enumerable.Range(0, 6).Select(_ => PlrnnInitialisation.Normal(random)).ToArray();
            var region = SymbolicCodes.AffineMap(map, SymbolicCodes.CodeOf(map, z));
            var step = map.Step(z);
            for (var r = 0; r < 6; r++)
            {
                var v = region.Offset[r];
                for (var c = 0; c < 6; c++) v += region.Matrix[r, c] * z[c];
                Assert.Equal(step[r], v, 12);
            }
        }
        var equations = SymbolicCodes.AffineMap(CyclicShift(), "100").Equations();
        Assert.Equal(["z1[t+1] = 0", "z2[t+1] = 1*z1", "z3[t+1] = 0"], equations);
    }

    [Fact]
    public void Reconstruction_of_a_limit_cycle_writes_metrics_codes_and_equations()
    {
        var x = Circle(1500, dt: 0.05);
        var times = Enumerable.Range(0, 1500).Select(k => k * 0.05).ToArray();
        var data = new TrajectoryData(["u", "v"], new Trajectory(times, x));
        var options = new ReconstructionOptions(new PlrnnOptions(PlrnnKind.AlRnn, 6, 2, 2),
            Tiny(TrainingBackend.Native, epochs: 5, batches: 10, lr: 5e-3) with { SequenceLength = 30 }, GeneratedSteps: 300, Transient: 50,
            DistilSteps: 600);
        var run = PlrnnReconstruction.Run(data, options);
        var result = PlrnnReconstruction.ToResult(run, data);
        Assert.Equal("plrnn", result.Method);
        foreach (var key in new[] { "d_stsp", "d_h", "pe" }) Assert.True(result.Metrics.ContainsKey(key), key);
        Assert.NotNull(run.Symbolic);
        Assert.Equal(run.Symbolic!.Regions.Count, run.Subregions.Count);
        Assert.True(result.Extra!.ContainsKey("symbolic"));
    }

    [Fact]
    public void Separate_test_data_are_what_the_metrics_compare_against_and_all_the_data_are_trained_on()
    {
        var times = Enumerable.Range(0, 600).Select(k => k * 0.05).ToArray();
        var data = new TrajectoryData(["u", "v"], new Trajectory(times, Circle(600, dt: 0.05, noise: 0.3)));
        var clean = new TrajectoryData(["u", "v"], new Trajectory(times[..400], Circle(400, dt: 0.05)));
        var options = new ReconstructionOptions(new PlrnnOptions(PlrnnKind.AlRnn, 5, 2, 2),
            Tiny(TrainingBackend.Native, epochs: 1, batches: 2), TestFraction: 0.5, GeneratedSteps: 300, Transient: 10, Distil: false,
            TestData: clean);
        var run = PlrnnReconstruction.Run(data, options);
        Assert.Equal(400, run.Test.GetLength(0));
        for (var t = 0; t < 400; t += 37)
            for (var i = 0; i < 2; i++) Assert.Equal(clean.Trajectories[0].States[t, i], run.Test[t, i], 9);
        Assert.Equal(300, run.Generated.GetLength(0));

        var wrong = new TrajectoryData(["u"], new Trajectory(times[..400], new double[400, 1]));
        Assert.Throws<ArgumentException>(() => PlrnnReconstruction.Run(data, options with { TestData = wrong }));
    }

    [Fact]
    public void Distilling_a_rotation_map_gives_the_harmonic_oscillator_and_its_distance_to_the_truth()
    {
        // z' = R(w dt) z is the exact flow map of u' = -w v, v' = w u; a third, unconnected relu unit makes it an AL-RNN.
        const double dt = 0.05, w = 1.3;
        var (c, s) = (Math.Cos(w * dt), Math.Sin(w * dt));
        var map = new AlrnnMap([c, c, 0], new double[,] { { 0, -s, 0 }, { s, 0, 0 }, { 0, 0, 0 } }, [0, 0, -1], relu: 1, observed: 2);
        var options = new ReconstructionOptions(new PlrnnOptions(PlrnnKind.AlRnn, 3, 2, 1), new TrainingOptions(), Transient: 0, DistilSteps: 2000,
            Truth: DynamicalSystem.FromText("u' = -w*v; v' = w*u", [new("w", w)]));
        var test = new double[50, 2];
        for (var t = 0; t < 50; t++) (test[t, 0], test[t, 1]) = (Math.Cos(w * dt * t), Math.Sin(w * dt * t));
        var distilled = PlrnnReconstruction.Distil(map, [1.0, 0.0], options, ["u", "v"], [0, 0], [1, 1], dt, test);
        Assert.Equal(-w, distilled.Model.Coefficient("u", "v"), 2);
        Assert.Equal(w, distilled.Model.Coefficient("v", "u"), 2);
        Assert.Equal(2, distilled.Model.Complexity);
        Assert.InRange(distilled.TruthError!.Value, 0, 1e-3);
    }
}
