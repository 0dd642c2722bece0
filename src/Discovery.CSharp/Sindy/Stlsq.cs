using System.Globalization;

namespace Discovery.SparseRegression;

/// <summary>Settings of <see cref="Stlsq"/> (PySINDy's defaults).</summary>
/// <param name="Threshold">Coefficients smaller than this in magnitude are set to zero.</param>
/// <param name="Alpha">Ridge weight of the least-squares fits: ‖y − Θξ‖² + α‖ξ‖².</param>
/// <param name="MaxIterations">Most threshold-and-refit rounds.</param>
/// <param name="Unbias">Refit plain least squares on the final support (removes the ridge's shrinkage).</param>
public sealed record StlsqOptions(double Threshold = 0.1, double Alpha = 0.05, int MaxIterations = 20, bool Unbias = true);

/// <summary>
/// Sequentially thresholded least squares (Brunton, Proctor and Kutz 2016): fit, zero every coefficient below the
/// threshold, refit on the rest, until the support stops changing.
/// </summary>
public sealed class Stlsq : SparseOptimizer
{
    /// <summary>An STLSQ optimizer with <paramref name="options"/> (defaults: threshold 0.1, alpha 0.05).</summary>
    public Stlsq(StlsqOptions? options = null)
        : base((options ??= new StlsqOptions()).Threshold, options.Alpha, options.MaxIterations, options.Unbias)
    {
        Options = options;
    }

    /// <summary>An STLSQ optimizer with the given threshold and otherwise default settings.</summary>
    public Stlsq(double threshold) : this(new StlsqOptions(threshold)) { }

    /// <summary>The settings.</summary>
    public StlsqOptions Options { get; }

    /// <inheritdoc />
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"STLSQ (threshold {Threshold:G4}, alpha {Alpha:G4})");

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["optimizer"] = "stlsq",
        ["threshold"] = Threshold.ToString("R", CultureInfo.InvariantCulture),
        ["alpha"] = Alpha.ToString("R", CultureInfo.InvariantCulture),
        ["max_iterations"] = MaxIterations.ToString(CultureInfo.InvariantCulture),
        ["unbias"] = Unbias ? "true" : "false",
    };

    /// <inheritdoc />
    public override SparseOptimizer WithThreshold(double threshold) => new Stlsq(Options with { Threshold = threshold });

    /// <summary>Threshold the coefficients; if the support changed, refit (ridge) on the new support.</summary>
    protected override bool Step(SparseIteration state)
    {
        var changed = false;
        for (var i = 0; i < state.Targets; i++)
        {
            var support = state.Support[i];
            var coefficients = state.Coefficients[i];
            var targetChanged = false;
            for (var j = 0; j < state.Features; j++)
            {
                if (!support[j] || Math.Abs(coefficients[j]) >= Threshold) continue;
                support[j] = false;
                coefficients[j] = 0;
                targetChanged = true;
            }
            if (!targetChanged) continue;
            changed = true;
            state.Refit(i, Alpha);
        }
        return changed;
    }
}
