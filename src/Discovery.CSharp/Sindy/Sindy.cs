using Discovery.Data;
using Discovery.Differentiation;
using Symbolic;

namespace Discovery.SparseRegression;

/// <summary>Settings of a <see cref="Sindy"/> learner besides its three parts.</summary>
/// <param name="WeakForm">The weak (integral) formulation's settings, or null for the strong form (pointwise derivatives).</param>
/// <param name="SmoothStates">When the differentiation method smooths (<see cref="ISmoothingDifferentiator"/>: Savitzky-Golay,
/// smoothing spline), evaluate the library on the smoothed states rather than the raw ones, so that states and
/// derivatives come from the same fit (noisy regressors otherwise bias the coefficients).</param>
public sealed record SindyOptions(WeakFormOptions? WeakForm = null, bool SmoothStates = true);

/// <summary>
/// Sparse identification of nonlinear dynamics (Brunton, Proctor and Kutz 2016): a learner assembled from three parts,
/// an optimizer (<see cref="Stlsq"/>, <see cref="Sr3"/>, <see cref="EnsembleOptimizer"/>), a feature library
/// (<see cref="PolynomialLibrary"/>, <see cref="FourierLibrary"/>, <see cref="CustomLibrary"/>, and their sums and
/// products) and a differentiation method (any <see cref="IDifferentiator"/>), optionally in the weak (integral) form.
/// <see cref="Fit(TrajectoryData, IReadOnlyList{string}?)"/> returns an immutable <see cref="FittedSindy"/> whose
/// equations are core expressions. Immutable: the <c>With…</c> methods return changed copies.
/// </summary>
public sealed class Sindy
{
    /// <summary>
    /// A learner from its parts. Defaults: STLSQ (threshold 0.1, alpha 0.05, as PySINDy), polynomials of degree 2 (as
    /// PySINDy), fourth-order finite differences (PySINDy uses second order; fourth order is exact to O(dt⁴) on clean
    /// data at the same cost), strong form, smoothed states when the differentiator smooths.
    /// </summary>
    public Sindy(ISparseRegressor? optimizer = null, FeatureLibrary? library = null, IDifferentiator? differentiation = null,
        SindyOptions? options = null)
    {
        Optimizer = optimizer ?? new Stlsq();
        Library = library ?? new PolynomialLibrary(2);
        Differentiation = differentiation ?? new FiniteDifference(4);
        Options = options ?? new SindyOptions();
        Options.WeakForm?.Validate();
    }

    /// <summary>The sparse regressor.</summary>
    public ISparseRegressor Optimizer { get; }

    /// <summary>The candidate terms.</summary>
    public FeatureLibrary Library { get; }

    /// <summary>How derivatives are estimated (strong form; in the weak form only for scores and refinement).</summary>
    public IDifferentiator Differentiation { get; }

    /// <summary>Weak form and state smoothing.</summary>
    public SindyOptions Options { get; }

    /// <summary>The weak formulation's settings, or null for the strong (pointwise derivative) form.</summary>
    public WeakFormOptions? WeakForm => Options.WeakForm;

    /// <summary>A copy with another optimizer.</summary>
    public Sindy WithOptimizer(ISparseRegressor optimizer) => new(optimizer, Library, Differentiation, Options);

    /// <summary>A copy with another library.</summary>
    public Sindy WithLibrary(FeatureLibrary library) => new(Optimizer, library, Differentiation, Options);

    /// <summary>A copy with another differentiation method.</summary>
    public Sindy WithDifferentiation(IDifferentiator differentiation) => new(Optimizer, Library, differentiation, Options);

    /// <summary>A copy in the weak form (null: the strong form).</summary>
    public Sindy WithWeakForm(WeakFormOptions? weakForm) => new(Optimizer, Library, Differentiation, Options with { WeakForm = weakForm });

    /// <summary>A copy with other options.</summary>
    public Sindy WithOptions(SindyOptions options) => new(Optimizer, Library, Differentiation, options);

    /// <summary>A copy whose optimizer has another threshold.</summary>
    public Sindy WithThreshold(double threshold) => WithOptimizer(Optimizer.WithThreshold(threshold));

    /// <summary>
    /// Learns x' = f(x, u) from <paramref name="data"/>: every column is an input of the library; the columns named in
    /// <paramref name="controls"/> are control inputs u (SINDYc: used by the library, not modelled), all others are
    /// states with one equation each. Several trajectories are differentiated (or integrated) one by one and stacked.
    /// Throws ArgumentException for unusable data or settings.
    /// </summary>
    public FittedSindy Fit(TrajectoryData data, IReadOnlyList<string>? controls = null) => Fit(Prepare(data, controls));

    /// <summary>As <see cref="Fit(TrajectoryData, IReadOnlyList{string}?)"/> with known derivatives of the states
    /// (one matrix per trajectory, rows × states, in state order); strong form only.</summary>
    public FittedSindy Fit(TrajectoryData data, IReadOnlyList<double[,]> derivatives, IReadOnlyList<string>? controls = null) =>
        Fit(Prepare(data, controls, derivatives));

    /// <summary>Fits this learner's optimizer to an already prepared problem.</summary>
    public FittedSindy Fit(SindyProblem problem) => new(this, problem, Optimizer.Fit(problem.Regression));

    /// <summary>
    /// The regression problem SINDy solves for <paramref name="data"/>: library features and derivative targets (or
    /// their weak-form integrals), stacked over trajectories. Reusable for several fits (threshold sweeps).
    /// </summary>
    public SindyProblem Prepare(TrajectoryData data, IReadOnlyList<string>? controls = null, IReadOnlyList<double[,]>? derivatives = null)
    {
        controls ??= [];
        foreach (var control in controls)
            if (data.IndexOf(control) < 0)
                throw new ArgumentException($"the control '{control}' is not a column of the data ({string.Join(", ", data.StateNames)})");
        if (controls.Distinct().Count() != controls.Count) throw new ArgumentException("a control is named twice");
        var inputs = data.StateNames;
        var states = inputs.Where(n => !controls.Contains(n)).ToArray();
        if (states.Length == 0) throw new ArgumentException("every column is a control; at least one state is needed");
        var stateIndex = states.Select(data.IndexOf).ToArray();
        var features = Library.Features(inputs);
        if (features.Count == 0) throw new ArgumentException($"the library {Library.Name} has no features");
        if (derivatives is not null)
        {
            if (WeakForm is not null) throw new ArgumentException("known derivatives cannot be used in the weak form");
            if (derivatives.Count != data.Trajectories.Count)
                throw new ArgumentException($"{derivatives.Count} derivative matrices for {data.Trajectories.Count} trajectories");
        }

        // Each trajectory gives a block of rows (samples, or weak-form windows); blocks are stacked at the end.
        var blocks = new List<(double[][] Features, double[][] Targets)>();
        foreach (var trajectory in data.Trajectories)
        {
            var columns = Enumerable.Range(0, inputs.Count).Select(trajectory.Column).ToArray();
            if (WeakForm is { } weak)
            {
                var values = FeatureMatrix.Evaluate(features, inputs, columns);
                var width = weak.WindowSamples ?? SparseRegression.WeakForm.AutomaticWidth(stateIndex.Select(i => columns[i]).ToArray(), weak.Power);
                var windows = SparseRegression.WeakForm.Windows(trajectory.Length, width, weak);
                var featureBlock = features.Select(_ => new double[windows.Count]).ToArray();
                var targetBlock = states.Select(_ => new double[windows.Count]).ToArray();
                // On an evenly spaced grid every window has the same test function: compute it once.
                var even = IsEvenlySpaced(trajectory.Times);
                (double[] Phi, double[] DPhi)? shared = null;
                for (var w = 0; w < windows.Count; w++)
                {
                    var (first, last) = windows[w];
                    var (phi, dphi) = even && shared is { } s
                        ? s
                        : SparseRegression.WeakForm.TestFunction(trajectory.Times.AsSpan(first, last - first + 1), weak.Power);
                    if (even) shared = (phi, dphi);
                    for (var f = 0; f < features.Count; f++) featureBlock[f][w] = Dot(phi, values[f].AsSpan(first, phi.Length));
                    for (var i = 0; i < states.Length; i++) targetBlock[i][w] = -Dot(dphi, columns[stateIndex[i]].AsSpan(first, dphi.Length));
                }
                blocks.Add((featureBlock, targetBlock));
                continue;
            }
            if (trajectory.Length < 2) throw new ArgumentException($"trajectory '{trajectory.Id}' has a single sample; derivatives need more");
            var rates = new double[states.Length][];
            if (derivatives is not null)
            {
                var known = derivatives[blocks.Count];
                if (known.GetLength(0) != trajectory.Length || known.GetLength(1) != states.Length)
                    throw new ArgumentException($"the derivatives of trajectory '{trajectory.Id}' must be {trajectory.Length} x {states.Length}");
                for (var i = 0; i < states.Length; i++)
                {
                    rates[i] = new double[trajectory.Length];
                    for (var k = 0; k < trajectory.Length; k++) rates[i][k] = known[k, i];
                }
            }
            else
            {
                for (var i = 0; i < states.Length; i++) rates[i] = Differentiation.Differentiate(trajectory.Times, columns[stateIndex[i]]);
                if (Options.SmoothStates && Differentiation is ISmoothingDifferentiator smoother)
                    foreach (var i in stateIndex) columns[i] = smoother.Smooth(trajectory.Times, columns[i]);
            }
            blocks.Add((FeatureMatrix.Evaluate(features, inputs, columns), rates));
        }
        var names = features.Select(FeatureMatrix.NameOf).ToArray();
        var regression = new RegressionProblem(Stack(blocks.Select(b => b.Features).ToList()), Stack(blocks.Select(b => b.Targets).ToList()),
            names, states.Select(s => s + "'").ToArray());
        var ranges = new List<(int Start, int Count)>();
        var row = 0;
        foreach (var block in blocks)
        {
            var count = block.Targets[0].Length;
            ranges.Add((row, count));
            row += count;
        }
        return new SindyProblem(regression, states, controls.ToArray(), inputs.ToArray(), features.ToArray(), ranges, WeakForm is not null);
    }

    /// <summary>
    /// Sweeps the optimizer's threshold over a grid and picks a model per state from the Pareto front of complexity
    /// against validation error (see <see cref="ThresholdSweep"/>).
    /// </summary>
    public ThresholdSweepResult Sweep(TrajectoryData data, SweepOptions? options = null, IReadOnlyList<string>? controls = null) =>
        ThresholdSweep.Run(this, Prepare(data, controls), options ?? new SweepOptions());

    /// <summary>Parts and settings, one line.</summary>
    public override string ToString() =>
        $"SINDy: {Optimizer.Name}; library {Library.Name}; " +
        (WeakForm is null
            ? Differentiation.Name + (Options.SmoothStates && Differentiation is ISmoothingDifferentiator ? ", smoothed states" : "")
            : $"weak form ({WeakForm.Windows} windows of {(WeakForm.WindowSamples is { } w ? $"{w}" : "automatic")} samples, power {WeakForm.Power})");

    /// <summary>Column-wise concatenation of row blocks (each block: one array per column).</summary>
    private static double[][] Stack(IReadOnlyList<double[][]> blocks)
    {
        if (blocks.Count == 1) return blocks[0];
        var columns = blocks[0].Length;
        var rows = blocks.Sum(b => b[0].Length);
        var result = new double[columns][];
        for (var c = 0; c < columns; c++)
        {
            result[c] = new double[rows];
            var at = 0;
            foreach (var block in blocks)
            {
                Array.Copy(block[c], 0, result[c], at, block[c].Length);
                at += block[c].Length;
            }
        }
        return result;
    }

    private static bool IsEvenlySpaced(double[] times)
    {
        var spacing = (times[^1] - times[0]) / (times.Length - 1);
        for (var k = 1; k < times.Length; k++)
            if (Math.Abs(times[k] - times[k - 1] - spacing) > 1e-9 * spacing) return false;
        return true;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}

/// <summary>
/// A prepared SINDy regression: the <see cref="RegressionProblem"/> (features by targets, rows stacked over
/// trajectories), the names of states, controls and inputs, the feature expressions, and which rows belong to which
/// trajectory (in time order within each).
/// </summary>
public sealed class SindyProblem
{
    internal SindyProblem(RegressionProblem regression, string[] states, string[] controls, string[] inputs, Expr[] features,
        IReadOnlyList<(int Start, int Count)> trajectoryRows, bool weak)
    {
        Regression = regression;
        StateNames = states;
        ControlNames = controls;
        InputNames = inputs;
        Features = features;
        TrajectoryRows = trajectoryRows;
        IsWeakForm = weak;
    }

    /// <summary>Θ and the targets.</summary>
    public RegressionProblem Regression { get; }

    /// <summary>The modelled states, in equation order.</summary>
    public IReadOnlyList<string> StateNames { get; }

    /// <summary>The control inputs (not modelled).</summary>
    public IReadOnlyList<string> ControlNames { get; }

    /// <summary>Every input of the library, in data column order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The library's features as core expressions.</summary>
    public IReadOnlyList<Expr> Features { get; }

    /// <summary>First row and row count of each trajectory.</summary>
    public IReadOnlyList<(int Start, int Count)> TrajectoryRows { get; }

    /// <summary>True when the rows are weak-form windows rather than samples.</summary>
    public bool IsWeakForm { get; }
}
