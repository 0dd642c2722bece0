// Sample: dynamical-systems reconstruction of the Lorenz (or Rössler) attractor with an AL-RNN, from C#: metrics on a
// free run, the symbolic codes of the linear subregions, the ODE distilled from the trained model, and the report.
//   dotnet run -c Release --project samples/PlrnnLorenz [-- --quick] [--rossler] [--epochs N] [OUTPUT-FOLDER]
// Full Lorenz mode is the AL-RNN tutorial's run: 100,000 steps (dt 0.01) with 5% noise, z-scored, M = 20, P = 2,
// sparse teacher forcing every 16 steps, sequences of 200, batches of 16, 50 batches per epoch, 2000 epochs, RAdam with
// the learning rate decaying from 1e-3 to 1e-5, the model with the best D_stsp on the training data kept, and the
// metrics measured against a separate noise-free trajectory (another initial state, its first 500 steps dropped), as
// the tutorial does. Rössler mode: 20,000 steps (dt 0.05), P = 1. Quick mode is a tiny version of either that the tests run.
using System.Globalization;
using Discovery.Neural.Plrnn;
using Discovery.Reports;
using Discovery.Systems;

namespace Samples;

public static class PlrnnLorenz
{
    public static int Main(string[] args)
    {
        var epochsAt = Array.IndexOf(args, "--epochs");
        int? epochs = epochsAt >= 0 && epochsAt + 1 < args.Length ? int.Parse(args[epochsAt + 1], CultureInfo.InvariantCulture) : null;
        var folder = args.Where((a, i) => !a.StartsWith("--") && (epochsAt < 0 || i != epochsAt + 1)).FirstOrDefault()
                     ?? Path.Combine("discovery-out", args.Contains("--rossler") ? "plrnn-rossler" : "plrnn-lorenz");
        return Run(args.Contains("--quick"), args.Contains("--rossler"), folder, Console.Out, epochs);
    }

    /// <summary>Runs the sample into <paramref name="folder"/>; returns 0 when the metrics are finite and the report was written.</summary>
    public static int Run(bool quick, bool rossler, string folder, TextWriter output, int? epochs = null)
    {
        var system = SystemZoo.Get(rossler ? "rossler" : "lorenz");
        var dt = rossler ? 0.05 : 0.01;
        var steps = quick ? 3000 : rossler ? 20000 : 100000;
        var data = system.Simulate(new SimulationOptions(TimeEnd: steps * dt, TimeStep: dt, TimeStart: 0, NoiseLevel: 0.05, Seed: 1));
        var test = CleanTest(system, quick ? 2000 : steps, dt);

        var training = new TrainingOptions(
            Epochs: epochs ?? (quick ? 3 : rossler ? 500 : 2000),
            BatchesPerEpoch: quick ? 5 : 50,
            SequenceLength: quick ? 50 : 200,
            Forcing: ForcingKind.Sparse, ForcingInterval: 16,
            StartLearningRate: 1e-3, EndLearningRate: 1e-5, Seed: 1,
            CheckpointPath: quick ? null : Path.Combine(folder, "checkpoint.json"));
        var options = new ReconstructionOptions(new PlrnnOptions(PlrnnKind.AlRnn, Latent: 20, Observed: 3, Relu: rossler ? 1 : 2), training,
            GeneratedSteps: quick ? 500 : 10000, Transient: quick ? 100 : 1000, DistilSteps: quick ? 1000 : 20000, Truth: system, TestData: test);

        var lastReport = DateTime.MinValue;
        var progress = new Progress<PlrnnProgress>(p =>
        {
            if (DateTime.UtcNow - lastReport < TimeSpan.FromSeconds(30) && p.Epoch != p.Epochs) return;
            lastReport = DateTime.UtcNow;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:G4}, lr {p.LearningRate:G3}, {p.Seconds:F0} s"));
        });
        var run = PlrnnReconstruction.Run(data, options, progress);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{system.Name}: d_stsp {run.StateSpaceDivergence:G4}, d_h {run.PowerSpectrumError:G4}, pe {run.PredictionError:G4}; " +
            $"{run.Training.Epochs} epochs in {run.Training.Seconds:F0} s ({run.Training.StepsPerSecond:F0} steps/s)"));
        if (run.Symbolic is { } s)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"subregions: {s.Regions.Count} of {s.TotalRegions:G} visited ({string.Join(", ", s.Regions.Select(r => $"{r.Code}: {r.Count}"))})"));
        if (run.Distillation is { } d)
        {
            output.Write(d.Model.Format(3));
            if (d.TruthError is { } e) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"distilled vector field vs truth: {e:P1} relative RMS error"));
        }
        var result = PlrnnReconstruction.ToResult(run, data, seed: 1, options: new Dictionary<string, string>
        {
            ["system"] = system.Name, ["steps"] = steps.ToString(CultureInfo.InvariantCulture), ["epochs"] = training.Epochs.ToString(CultureInfo.InvariantCulture),
        });
        var files = ReportWriter.WriteRun(folder, result);
        output.WriteLine($"report: {files.Html}");
        return double.IsFinite(run.StateSpaceDivergence) && double.IsFinite(run.PowerSpectrumError) ? 0 : 1;
    }

    /// <summary><paramref name="steps"/> noise-free samples from an initial state other than the training data's, after 500 transient steps.</summary>
    private static Discovery.Data.TrajectoryData CleanTest(DynamicalSystem system, int steps, double dt)
    {
        const int transient = 500;
        var start = system.InitialState.Select(v => v + 1.0).ToArray();
        var full = system.Simulate(new SimulationOptions(TimeEnd: (steps + transient) * dt, TimeStep: dt, TimeStart: 0, InitialState: start));
        var source = full.Trajectories[0];
        var kept = source.Length - transient;
        var states = new double[kept, system.Dimension];
        for (var t = 0; t < kept; t++)
            for (var i = 0; i < system.Dimension; i++) states[t, i] = source.States[transient + t, i];
        return new Discovery.Data.TrajectoryData(full.StateNames, new Discovery.Data.Trajectory(source.Times[transient..], states));
    }
}
