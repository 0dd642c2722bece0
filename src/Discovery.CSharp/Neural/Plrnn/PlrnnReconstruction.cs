using System.Globalization;
using Discovery.Data;
using Discovery.Differentiation;
using Discovery.Results;
using Discovery.SparseRegression;
using Discovery.Systems;
using Symbolic;

namespace Discovery.Neural.Plrnn;

/// <summary>
/// Everything a reconstruction run does besides training: which share of the data is held out, how long the free
/// trajectories for the metrics are, and how the model is distilled into equations.
/// </summary>
/// <param name="Model">Kind and sizes; <see cref="PlrnnOptions.Observed"/> is taken from the data.</param>
/// <param name="Training">How to train.</param>
/// <param name="TestFraction">The last share of each trajectory held out for the metrics (0: evaluate on the training data).</param>
/// <param name="GeneratedSteps">Length of the free trajectory the metrics use (at most the held-out length).</param>
/// <param name="Transient">Free steps dropped before it.</param>
/// <param name="Bins">Bins per dimension of D_stsp; above <paramref name="GmmAboveDimension"/> dimensions the Gaussian-mixture form is used.</param>
/// <param name="GmmAboveDimension">Largest dimension for the binned D_stsp (the authors switch at 6).</param>
/// <param name="GmmVariance">Variance of the mixture components of the Gaussian-mixture D_stsp.</param>
/// <param name="Smoothing">Sigma of the Gaussian smoothing of the power spectra (D_H), in frequency bins.</param>
/// <param name="PredictionSteps">n of the n-step prediction error.</param>
/// <param name="Distil">Fit SINDy to a long free trajectory of the model to give an ODE in the observed variables.</param>
/// <param name="DistilSteps">Length of that trajectory.</param>
/// <param name="DistilDegree">Polynomial degree of the SINDy library.</param>
/// <param name="Truth">The true system, when known: the distilled vector field is compared with it.</param>
/// <param name="TestData">
/// Separate held-out data (the authors evaluate on a separate, noise-free test trajectory): when given, the model trains
/// on all of the data, <paramref name="TestFraction"/> is ignored, and the metrics compare against the longest test
/// trajectory, z-scored with the training data's mean and scale.
/// </param>
public sealed record ReconstructionOptions(
    PlrnnOptions Model,
    TrainingOptions Training,
    double TestFraction = 0.2,
    int GeneratedSteps = 10000,
    int Transient = 1000,
    int Bins = 30,
    int GmmAboveDimension = 5,
    double GmmVariance = 1.0,
    double Smoothing = 20,
    int PredictionSteps = 20,
    bool Distil = true,
    int DistilSteps = 20000,
    int DistilDegree = 2,
    DynamicalSystem? Truth = null,
    TrajectoryData? TestData = null);

/// <summary>The distilled ODE and how close it is to the truth.</summary>
/// <param name="Model">SINDy fitted to the model's free trajectory (original units of the data).</param>
/// <param name="TruthError">Relative RMS difference between the distilled and the true vector field on the held-out data (when the truth is known).</param>
public sealed record Distillation(FittedSindy Model, double? TruthError);

/// <summary>What a reconstruction run found.</summary>
public sealed record ReconstructionResult(
    PlrnnTrainingResult Training,
    double StateSpaceDivergence,
    double PowerSpectrumError,
    double PredictionError,
    bool GaussianMixture,
    double[] Mean,
    double[] Scale,
    double[,] Test,
    double[,] Generated,
    double TimeStep,
    SymbolicSummary? Symbolic,
    IReadOnlyList<AffineSubregion> Subregions,
    Distillation? Distillation,
    string? DistillationProblem);

/// <summary>
/// Dynamical-systems reconstruction with a PLRNN-family model: z-score the data, hold out the end of each trajectory,
/// train, generate freely from the first held-out point, measure D_stsp, D_H and the prediction error against the
/// held-out data, read the AL-RNN's symbolic codes and distil the model into an ODE with SINDy.
/// </summary>
public static class PlrnnReconstruction
{
    /// <summary>Runs the whole reconstruction (see the class summary). Throws ArgumentException for unusable data or options.</summary>
    public static ReconstructionResult Run(TrajectoryData data, ReconstructionOptions options, IProgress<PlrnnProgress>? progress = null,
        CancellationToken cancellationToken = default, PlrnnCheckpoint? resume = null)
    {
        var n = data.Dimension;
        var modelOptions = options.Model with { Observed = n };
        modelOptions.Validate();
        options.Training.Validate();
        if (!(options.TestFraction is >= 0 and < 1)) throw new ArgumentException($"the test fraction must be in [0, 1) (got {options.TestFraction})");
        if (options.TestData is { } separate && separate.Dimension != n)
            throw new ArgumentException($"the test data have {separate.Dimension} variables, the training data {n}");
        var (mean, scale) = Moments(data);
        var train = new List<double[,]>();
        var tests = new List<double[,]>();
        var fraction = options.TestData is null ? options.TestFraction : 0;
        foreach (var t in data.Trajectories)
        {
            var z = Standardise(t.States, mean, scale);
            var cut = fraction > 0 ? (int)Math.Round(t.Length * (1 - fraction)) : t.Length;
            train.Add(Rows(z, 0, cut));
            if (fraction > 0 && t.Length - cut >= 2) tests.Add(Rows(z, cut, t.Length - cut));
        }
        if (options.TestData is { } held)
            tests.AddRange(held.Trajectories.Where(t => t.Length >= 2).Select(t => Standardise(t.States, mean, scale)));
        var test = tests.Count > 0 ? tests.MaxBy(x => x.GetLength(0))! : train.MaxBy(x => x.GetLength(0))!;
        if (resume is not null && (resume.Observed != n || resume.A.Length != modelOptions.Latent))
            throw new ArgumentException($"the checkpoint holds a model with M = {resume.A.Length}, N = {resume.Observed}; this run needs M = {modelOptions.Latent}, N = {n}");

        var initial = PlrnnInitialisation.Random(modelOptions, options.Training.Seed);
        var trained = new PlrnnTrainer(options.Training).Train(initial, train, progress, cancellationToken, resume);
        var map = trained.Model;

        // Metrics on a free trajectory from the first held-out observation, as the authors evaluate.
        var steps = Math.Min(options.GeneratedSteps, test.GetLength(0));
        var z0 = map.InitialState(Row(test, 0));
        var latent = map.Generate(z0, steps, options.Transient);
        var generated = map.Observe(latent);
        var gmm = n > options.GmmAboveDimension;
        var finite = PlrnnMetrics.AllFinite(generated);
        var dstsp = PlrnnMetrics.StateSpaceDivergenceFor(test, generated, options.Bins, options.GmmAboveDimension, options.GmmVariance,
            options.Training.Seed);
        var dh = finite ? PlrnnMetrics.PowerSpectrumError(Rows(test, 0, steps), generated, options.Smoothing) : double.NaN;
        var pe = PlrnnMetrics.PredictionError(map, test, options.PredictionSteps);

        SymbolicSummary? symbolic = null;
        var subregions = new List<AffineSubregion>();
        if (map is AlrnnMap alrnn)
        {
            symbolic = SymbolicCodes.Summarise(alrnn, latent);
            subregions.AddRange(symbolic.Regions.Select(r => SymbolicCodes.AffineMap(alrnn, r.Code)));
        }

        var dt = TimeStepOf(data);
        Distillation? distillation = null;
        string? problem = null;
        if (options.Distil)
        {
            try
            {
                distillation = Distil(map, Row(test, 0), options, data.StateNames, mean, scale, dt, test);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
            {
                problem = e.Message;
            }
        }
        return new ReconstructionResult(trained, dstsp, dh, pe, gmm, mean, scale, Unstandardise(test, mean, scale),
            Unstandardise(generated, mean, scale), dt, symbolic, subregions, distillation, problem);
    }

    /// <summary>
    /// Distils a model into an ODE: a free trajectory of <see cref="ReconstructionOptions.DistilSteps"/> steps (after the
    /// transient) in the data's units on the data's time grid, derivatives by 4th-order finite differences, SINDy with a
    /// polynomial library and the threshold sweep. With a known truth, the relative RMS difference of the vector fields
    /// on the held-out data.
    /// </summary>
    public static Distillation Distil(PlrnnMap map, double[] x0, ReconstructionOptions options, IReadOnlyList<string> names,
        double[] mean, double[] scale, double dt, double[,] testStandardised)
    {
        var latent = map.Generate(map.InitialState(x0), options.DistilSteps, options.Transient);
        var observed = Unstandardise(map.Observe(latent), mean, scale);
        if (!PlrnnMetrics.AllFinite(observed)) throw new ArithmeticException("the model's free trajectory is not finite; nothing to distil");
        var times = Enumerable.Range(0, latent.Length).Select(k => k * dt).ToArray();
        var trajectories = new TrajectoryData(names, new Trajectory(times, observed));
        var sindy = new Sindy(new Stlsq(new StlsqOptions(0.1, 0.05)), new PolynomialLibrary(options.DistilDegree), new FiniteDifference(4));
        var fitted = ThresholdSweep.Run(sindy, sindy.Prepare(trajectories), new SweepOptions()).Model;
        double? truthError = null;
        if (options.Truth is { } truth && truth.Dimension == names.Count)
            truthError = VectorFieldError(fitted, truth, Unstandardise(testStandardised, mean, scale));
        return new Distillation(fitted, truthError);
    }

    /// <summary>sqrt(Σ |f_model(x) - f_true(x)|² / Σ |f_true(x)|²) over the rows of <paramref name="points"/>.</summary>
    public static double VectorFieldError(FittedSindy model, DynamicalSystem truth, double[,] points)
    {
        var predicted = model.Predict(points);
        var rhs = truth.ToOdeProblem().RightHandSide;
        var n = points.GetLength(1);
        var x = new double[n];
        var f = new double[n];
        double num = 0, den = 0;
        for (var t = 0; t < points.GetLength(0); t++)
        {
            for (var i = 0; i < n; i++) x[i] = points[t, i];
            rhs(0, x, f);
            for (var i = 0; i < n; i++)
            {
                var d = predicted[t, i] - f[i];
                num += d * d;
                den += f[i] * f[i];
            }
        }
        return den > 0 ? Math.Sqrt(num / den) : double.NaN;
    }

    /// <summary>Points per plotted series at most.</summary>
    public const int MaxSeriesPoints = 1000;

    /// <summary>
    /// The run as a <see cref="DiscoveryResult"/> (method "plrnn"): metrics d_stsp, d_h, pe (and loss, epochs, seconds,
    /// steps_per_second, regions_visited, truth_error when known); the distilled ODE as the equations; Extra["symbolic"]
    /// (P, total and visited regions with counts, transitions with probabilities, the affine map of each visited
    /// subregion as equations) and Extra["training"] (loss per epoch, alpha, interrupted); series of held-out data
    /// against the free-running model and a phase portrait.
    /// </summary>
    public static DiscoveryResult ToResult(ReconstructionResult run, TrajectoryData data, InputInfo? input = null,
        IReadOnlyDictionary<string, string>? options = null, long? seed = null)
    {
        var names = data.StateNames;
        var metrics = new Dictionary<string, double>
        {
            ["d_stsp"] = run.StateSpaceDivergence,
            ["d_h"] = run.PowerSpectrumError,
            ["pe"] = run.PredictionError,
            ["loss"] = run.Training.Losses.Count > 0 ? run.Training.Losses[^1] : double.NaN,
            ["epochs"] = run.Training.Epochs,
            ["seconds"] = run.Training.Seconds,
            ["steps_per_second"] = run.Training.StepsPerSecond,
        };
        if (run.Symbolic is { } s) metrics["regions_visited"] = s.Regions.Count;
        if (run.Distillation?.TruthError is { } te) metrics["truth_error"] = te;

        var equations = new List<EquationResult>();
        if (run.Distillation is { } d)
            for (var i = 0; i < d.Model.StateNames.Count; i++)
            {
                var rhs = d.Model.RightHandSide(i);
                equations.Add(EquationForms.Of($"{d.Model.StateNames[i]}'", rhs, ExprModule.size(rhs), digits: 6));
            }

        var extra = new Dictionary<string, object?>
        {
            ["training"] = new Dictionary<string, object?>
            {
                ["losses"] = run.Training.Losses.ToArray(),
                ["alpha"] = run.Training.Alpha,
                ["interrupted"] = run.Training.Interrupted,
                ["dstsp_method"] = run.GaussianMixture ? "gmm" : "bins",
                ["selected_epoch"] = run.Training.SelectedEpoch,
                ["selection"] = run.Training.Selection.Select(p => new Dictionary<string, object?> { ["epoch"] = p.Epoch, ["d_stsp_train"] = p.Score }).ToArray(),
            },
        };
        if (run.Symbolic is { } sym)
        {
            var unitNames = Enumerable.Range(1, run.Subregions.FirstOrDefault()?.Offset.Length ?? 0)
                .Select(k => k <= names.Count ? $"z{k}_{names[k - 1]}" : $"z{k}").ToArray();
            extra["symbolic"] = new SymbolicSection(sym.Relu, sym.TotalRegions, sym.Regions.Count, sym.Steps,
                sym.Regions.Select(r => new SymbolicRegion(r.Code, r.Count, r.Fraction)).ToArray(),
                sym.Transitions.Select(t => new SymbolicTransition(t.From, t.To, t.Count, t.Probability)).ToArray(),
                run.Subregions.Select(a => new SymbolicAffineMap(a.Code, a.Equations(unitNames))).ToArray());
        }

        var series = new List<SeriesResult>();
        var length = Math.Min(run.Test.GetLength(0), run.Generated.GetLength(0));
        var shown = Math.Min(length, MaxSeriesPoints);
        var x = Enumerable.Range(0, shown).Select(k => k * run.TimeStep).ToArray();
        // Data and free run in separate plots: a chaotic free run leaves the data's path after a few Lyapunov times, so
        // point-wise residuals would say nothing; the shapes, frequencies and ranges are what to compare.
        series.Add(new SeriesResult
        {
            Title = "Held-out data over time",
            Kind = "time",
            XLabel = data.TimeName,
            X = x,
            Y = names.Select((name, i) => (name, i)).ToDictionary(p => $"{p.name} data", p => Enumerable.Range(0, shown).Select(k => run.Test[k, p.i]).ToArray()),
        });
        series.Add(new SeriesResult
        {
            Title = "Free-running model over time (from the first held-out point)",
            Kind = "time",
            XLabel = data.TimeName,
            X = x,
            Y = names.Select((name, i) => (name, i)).ToDictionary(p => $"{p.name} model", p => Enumerable.Range(0, shown).Select(k => run.Generated[k, p.i]).ToArray()),
        });
        if (names.Count >= 2)
        {
            var stride = Math.Max(1, length / 2000);
            var rows = Enumerable.Range(0, length).Where(k => k % stride == 0).ToArray();
            series.Add(new SeriesResult
            {
                Title = $"{names[0]}-{names[1]} phase portrait (geometry of the attractor)",
                Kind = "phase",
                X = rows.Select(k => (double)k).ToArray(),
                Y = new Dictionary<string, double[]>
                {
                    [$"{names[0]} data"] = rows.Select(k => run.Test[k, 0]).ToArray(),
                    [$"{names[1]} data"] = rows.Select(k => run.Test[k, 1]).ToArray(),
                    [$"{names[0]} model"] = rows.Select(k => run.Generated[k, 0]).ToArray(),
                    [$"{names[1]} model"] = rows.Select(k => run.Generated[k, 1]).ToArray(),
                },
            });
        }

        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"The model was judged on a free run of {run.Generated.GetLength(0)} steps from the first held-out point: D_stsp {run.StateSpaceDivergence:G4} ({(run.GaussianMixture ? "Gaussian mixture" : "30-bin KL")}; 0 is a perfect match of where the attractor is visited), D_H {run.PowerSpectrumError:G4} (0 is identical power spectra, 1 no overlap), {run.Training.Epochs} epochs in {run.Training.Seconds:F0} s."),
        };
        if (run.Symbolic is { } summary)
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"The free run visited {summary.Regions.Count} of the {summary.TotalRegions:G} linear subregions of the AL-RNN ({string.Join(", ", summary.Regions.Select(r => $"{r.Code}: {r.Fraction:P0}"))})."));
        if (run.Distillation is { } dist)
            notes.Add(dist.TruthError is { } err
                ? string.Create(CultureInfo.InvariantCulture, $"The distilled ODE was fitted to the model's own free trajectory, not to the data; its vector field differs from the true one by {err:P1} (relative RMS on the held-out data).")
                : "The distilled ODE was fitted to the model's own free trajectory, not to the data: it describes what the network learned.");
        else if (run.DistillationProblem is { } p) notes.Add($"No ODE was distilled: {p}");
        if (run.Training.SelectedEpoch is { } chosen)
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"The model is the one after epoch {chosen} of {run.Training.Epochs}: of the {run.Training.Selection.Count} checks during training, its free run had the lowest D_stsp against the training data ({run.Training.Selection.First(p => p.Epoch == chosen).Score:G4}), as in the authors' AL-RNN tutorial."));
        if (run.Training.Interrupted) notes.Add("Training was stopped early; the model is the one trained so far.");

        return new DiscoveryResult
        {
            Method = "plrnn",
            Seed = seed,
            Input = input,
            Equations = equations,
            Metrics = metrics,
            Options = options ?? new Dictionary<string, string>(),
            Series = series,
            Notes = notes,
            Interrupted = run.Training.Interrupted,
            Extra = extra,
        };
    }

    private static (double[] Mean, double[] Scale) Moments(TrajectoryData data)
    {
        var n = data.Dimension;
        var mean = new double[n];
        var scale = new double[n];
        var count = data.TotalSamples;
        foreach (var t in data.Trajectories)
            for (var k = 0; k < t.Length; k++)
                for (var i = 0; i < n; i++) mean[i] += t.States[k, i] / count;
        foreach (var t in data.Trajectories)
            for (var k = 0; k < t.Length; k++)
                for (var i = 0; i < n; i++) scale[i] += (t.States[k, i] - mean[i]) * (t.States[k, i] - mean[i]) / count;
        for (var i = 0; i < n; i++)
        {
            scale[i] = Math.Sqrt(scale[i]);
            if (!(scale[i] > 0)) scale[i] = 1;
        }
        return (mean, scale);
    }

    private static double TimeStepOf(TrajectoryData data)
    {
        var steps = data.Trajectories.SelectMany(t => t.Times.Zip(t.Times.Skip(1), (a, b) => b - a)).Where(d => d > 0).OrderBy(d => d).ToArray();
        return steps.Length == 0 ? 1 : steps[steps.Length / 2];
    }

    internal static double[,] Standardise(double[,] x, double[] mean, double[] scale)
    {
        var r = new double[x.GetLength(0), x.GetLength(1)];
        for (var t = 0; t < x.GetLength(0); t++)
            for (var i = 0; i < x.GetLength(1); i++) r[t, i] = (x[t, i] - mean[i]) / scale[i];
        return r;
    }

    internal static double[,] Unstandardise(double[,] x, double[] mean, double[] scale)
    {
        var r = new double[x.GetLength(0), x.GetLength(1)];
        for (var t = 0; t < x.GetLength(0); t++)
            for (var i = 0; i < x.GetLength(1); i++) r[t, i] = x[t, i] * scale[i] + mean[i];
        return r;
    }

    private static double[,] Rows(double[,] x, int start, int count)
    {
        var r = new double[count, x.GetLength(1)];
        for (var t = 0; t < count; t++)
            for (var i = 0; i < x.GetLength(1); i++) r[t, i] = x[start + t, i];
        return r;
    }

    private static double[] Row(double[,] x, int t) => Enumerable.Range(0, x.GetLength(1)).Select(i => x[t, i]).ToArray();
}

/// <summary>result.json's <c>symbolic</c> section.</summary>
public sealed record SymbolicSection(int Relu, double TotalRegions, int RegionsVisited, int Steps, IReadOnlyList<SymbolicRegion> Regions,
    IReadOnlyList<SymbolicTransition> Transitions, IReadOnlyList<SymbolicAffineMap> AffineMaps);

/// <summary>A visited subregion in result.json.</summary>
public sealed record SymbolicRegion(string Code, int Count, double Fraction);

/// <summary>A transition in result.json.</summary>
public sealed record SymbolicTransition(string From, string To, int Count, double Probability);

/// <summary>The affine map of a subregion in result.json, one equation per latent unit.</summary>
public sealed record SymbolicAffineMap(string Code, IReadOnlyList<string> Equations);
