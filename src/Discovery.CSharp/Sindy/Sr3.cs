using System.Globalization;

namespace Discovery.SparseRegression;

/// <summary>The sparsity penalty R(w) of <see cref="Sr3"/>.</summary>
public enum Sr3Penalty
{
    /// <summary>Number of non-zero terms (hard thresholding).</summary>
    L0,
    /// <summary>Sum of magnitudes (soft thresholding).</summary>
    L1,
}

/// <summary>Settings of <see cref="Sr3"/> (PySINDy's defaults).</summary>
/// <param name="Threshold">The prox threshold: L0 keeps |ξ| above it, L1 shrinks every |ξ| by it.</param>
/// <param name="Nu">Relaxation ν: how far ξ may stray from the sparse w (smaller = tighter).</param>
/// <param name="Penalty">L0 or L1.</param>
/// <param name="TrimmingFraction">Fraction of rows to leave out as outliers (0 = no trimming).</param>
/// <param name="MaxIterations">Most iterations.</param>
/// <param name="Tolerance">Convergence: ‖w − w_previous‖ / ν below this (and the trimmed rows unchanged).</param>
/// <param name="Unbias">Refit plain least squares on the final support.</param>
public sealed record Sr3Options(
    double Threshold = 0.1,
    double Nu = 1.0,
    Sr3Penalty Penalty = Sr3Penalty.L0,
    double TrimmingFraction = 0,
    int MaxIterations = 30,
    double Tolerance = 1e-5,
    bool Unbias = true);

/// <summary>
/// Sparse relaxed regularised regression (Zheng, Askham, Brunton, Kutz and Aravkin 2019; Champion et al. 2020):
/// minimise ½‖y − Θξ‖² + λR(w) + (1/2ν)‖ξ − w‖² by alternating a least-squares update of ξ and the proximal
/// (thresholding) update of the sparse w. With trimming, each step also leaves out the rows whose residuals are largest
/// (a fixed fraction), so isolated outliers stop pulling the fit (trimmed least squares).
/// </summary>
public sealed class Sr3 : SparseOptimizer
{
    /// <summary>An SR3 optimizer with <paramref name="options"/> (defaults: L0, threshold 0.1, ν = 1, no trimming).</summary>
    public Sr3(Sr3Options? options = null)
        : base((options ??= new Sr3Options()).Threshold, 0, options.MaxIterations, options.Unbias)
    {
        if (!(options.Nu > 0) || !double.IsFinite(options.Nu))
            throw new ArgumentOutOfRangeException(nameof(options), options.Nu, "nu must be a positive number");
        if (!(options.TrimmingFraction >= 0 && options.TrimmingFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.TrimmingFraction, "the trimming fraction must be in [0, 1)");
        if (!(options.Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "the tolerance must be positive");
        Options = options;
    }

    /// <summary>The settings.</summary>
    public Sr3Options Options { get; }

    /// <inheritdoc />
    public override string Name => string.Create(CultureInfo.InvariantCulture,
        $"SR3 ({Options.Penalty}, threshold {Threshold:G4}, nu {Options.Nu:G4}{(Options.TrimmingFraction > 0 ? $", trimming {Options.TrimmingFraction:G3}" : "")})");

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["optimizer"] = Options.Penalty == Sr3Penalty.L0 ? "sr3" : "sr3-l1",
        ["threshold"] = Threshold.ToString("R", CultureInfo.InvariantCulture),
        ["nu"] = Options.Nu.ToString("R", CultureInfo.InvariantCulture),
        ["trimming"] = Options.TrimmingFraction.ToString("R", CultureInfo.InvariantCulture),
        ["max_iterations"] = MaxIterations.ToString(CultureInfo.InvariantCulture),
        ["unbias"] = Unbias ? "true" : "false",
    };

    /// <inheritdoc />
    public override SparseOptimizer WithThreshold(double threshold) => new Sr3(Options with { Threshold = threshold });

    /// <summary>Plain least squares on every allowed feature; ξ and w both start there.</summary>
    protected override void Start(SparseIteration state)
    {
        base.Start(state);
        for (var i = 0; i < state.Targets; i++)
            Array.Copy(state.Coefficients[i], state.Relaxed[i], state.Features);
    }

    /// <summary>ξ ← argmin ‖y − Θξ‖² + (1/ν)‖ξ − w‖²; w ← prox(ξ); then re-trim rows. False once w (and trimming) settle.</summary>
    protected override bool Step(SparseIteration state)
    {
        var all = new bool[state.Features];
        for (var j = 0; j < all.Length; j++) all[j] = state.IsAvailable(j);
        var change = 0.0;
        for (var i = 0; i < state.Targets; i++)
        {
            var w = state.Coefficients[i];
            var xi = state.Relaxed[i];
            state.Solve(i, all, 0, 1 / Options.Nu, w, xi);
            for (var j = 0; j < state.Features; j++)
            {
                var next = Prox(xi[j]);
                change += (next - w[j]) * (next - w[j]);
                w[j] = next;
                state.Support[i][j] = next != 0;
            }
        }
        var trimmingChanged = Options.TrimmingFraction > 0 && Trim(state);
        return trimmingChanged || Math.Sqrt(change) / Options.Nu > Options.Tolerance;
    }

    private double Prox(double x) => Options.Penalty switch
    {
        Sr3Penalty.L0 => Math.Abs(x) > Threshold ? x : 0,
        _ => Math.Sign(x) * Math.Max(Math.Abs(x) - Threshold, 0),
    };

    /// <summary>Keeps the rows with the smallest residuals of ξ; true when the kept set changed.</summary>
    private bool Trim(SparseIteration state)
    {
        var residuals = state.RowResiduals(state.Relaxed);
        var rows = residuals.Length;
        var drop = (int)Math.Floor(Options.TrimmingFraction * rows);
        if (drop == 0) return false;
        var order = Enumerable.Range(0, rows).OrderByDescending(k => residuals[k]).ThenBy(k => k).ToArray();
        var keep = Enumerable.Repeat(true, rows).ToArray();
        for (var k = 0; k < drop; k++) keep[order[k]] = false;
        var before = state.TrimmedRows;
        var same = before.Count == drop && before.All(k => !keep[k]);
        if (same) return false;
        state.UseRows(keep);
        return true;
    }
}
