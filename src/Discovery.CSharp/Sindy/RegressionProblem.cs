using System.Numerics.Tensors;

namespace Discovery.SparseRegression;

/// <summary>
/// The linear regression SINDy solves, Y ≈ Θ Ξ: one column per feature (Θ, rows × features) and one per target
/// (Y, rows × targets), with names. Rows are samples (strong form) or test-function windows (weak form). Immutable;
/// the arrays are not copied, so do not change them afterwards.
/// </summary>
public sealed class RegressionProblem
{
    private readonly Lazy<QrFactor> _factor;

    /// <summary>
    /// A problem over <paramref name="featureColumns"/> (one array per feature) and <paramref name="targetColumns"/>
    /// (one per target), all of the same length. Throws ArgumentException for ragged or non-finite data.
    /// </summary>
    public RegressionProblem(double[][] featureColumns, double[][] targetColumns, IReadOnlyList<string>? featureNames = null,
        IReadOnlyList<string>? targetNames = null)
    {
        if (targetColumns.Length == 0) throw new ArgumentException("at least one target is needed", nameof(targetColumns));
        Rows = targetColumns[0].Length;
        if (Rows == 0) throw new ArgumentException("the problem has no rows", nameof(targetColumns));
        foreach (var (column, what) in featureColumns.Select((c, j) => (c, $"feature {j}")).Concat(targetColumns.Select((c, i) => (c, $"target {i}"))))
        {
            if (column.Length != Rows) throw new ArgumentException($"{what} has {column.Length} rows, expected {Rows}");
            if (!TensorPrimitives.IsFiniteAll<double>(column)) throw new ArgumentException($"{what} holds NaN or Inf");
        }
        FeatureColumns = featureColumns;
        TargetColumns = targetColumns;
        FeatureNames = featureNames?.ToArray() ?? featureColumns.Select((_, j) => $"f{j}").ToArray();
        TargetNames = targetNames?.ToArray() ?? targetColumns.Select((_, i) => $"y{i}").ToArray();
        if (FeatureNames.Count != featureColumns.Length) throw new ArgumentException("one name per feature is needed", nameof(featureNames));
        if (TargetNames.Count != targetColumns.Length) throw new ArgumentException("one name per target is needed", nameof(targetNames));
        Scale = featureColumns.Select(c =>
        {
            var norm = Math.Sqrt(TensorPrimitives.Dot(c, c));
            return norm > 0 ? norm : 1.0;
        }).ToArray();
        _factor = new Lazy<QrFactor>(() => QrFactor.Of(FeatureColumns, TargetColumns, Scale, null));
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of features (columns of Θ).</summary>
    public int Features => FeatureColumns.Length;

    /// <summary>Number of targets (columns of Y).</summary>
    public int Targets => TargetColumns.Length;

    /// <summary>Feature names, e.g. "x*y".</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Target names, e.g. "x'".</summary>
    public IReadOnlyList<string> TargetNames { get; }

    /// <summary>Θ by columns.</summary>
    internal double[][] FeatureColumns { get; }

    /// <summary>Y by columns.</summary>
    internal double[][] TargetColumns { get; }

    /// <summary>Euclidean norm of each feature column (1 for an all-zero column): the internal column scaling.</summary>
    internal double[] Scale { get; }

    /// <summary>The QR factorisation of all rows, computed once.</summary>
    internal QrFactor Factor => _factor.Value;

    /// <summary>The factorisation with rows weighted (bagging counts, trimming masks).</summary>
    internal QrFactor FactorWith(double[]? weights) => QrFactor.Of(FeatureColumns, TargetColumns, Scale, weights);

    /// <summary>Feature column <paramref name="j"/> (not a copy; do not change it).</summary>
    public ReadOnlySpan<double> Feature(int j) => FeatureColumns[j];

    /// <summary>Target column <paramref name="i"/> (not a copy; do not change it).</summary>
    public ReadOnlySpan<double> Target(int i) => TargetColumns[i];

    /// <summary>A problem with only the given rows (copied, in the given order).</summary>
    public RegressionProblem SelectRows(IReadOnlyList<int> rows)
    {
        static double[] Pick(double[] column, IReadOnlyList<int> rows)
        {
            var result = new double[rows.Count];
            for (var k = 0; k < result.Length; k++) result[k] = column[rows[k]];
            return result;
        }
        return new RegressionProblem(FeatureColumns.Select(c => Pick(c, rows)).ToArray(),
            TargetColumns.Select(c => Pick(c, rows)).ToArray(), FeatureNames, TargetNames);
    }

    /// <summary>Θ ξ for one coefficient vector (one entry per feature).</summary>
    public double[] Predict(ReadOnlySpan<double> coefficients)
    {
        var result = new double[Rows];
        for (var j = 0; j < Features; j++)
            if (coefficients[j] != 0) TensorPrimitives.MultiplyAdd(FeatureColumns[j], coefficients[j], result, result);
        return result;
    }

    /// <summary>Coefficient of determination R² of <paramref name="coefficients"/> for target <paramref name="target"/>.</summary>
    public double R2(int target, ReadOnlySpan<double> coefficients) => Metrics.R2(TargetColumns[target], Predict(coefficients));
}

/// <summary>Fit statistics shared by the SINDy classes.</summary>
public static class Metrics
{
    /// <summary>
    /// 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (scikit-learn's r2_score for one output): 1 for a perfect fit; 1 or 0 for a constant
    /// target fitted perfectly or not.
    /// </summary>
    public static double R2(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (actual.Length != predicted.Length) throw new ArgumentException($"{actual.Length} values but {predicted.Length} predictions");
        if (actual.Length == 0) return double.NaN;
        var mean = TensorPrimitives.Sum(actual) / actual.Length;
        double residual = 0, total = 0;
        for (var k = 0; k < actual.Length; k++)
        {
            var d = actual[k] - predicted[k];
            residual += d * d;
            var c = actual[k] - mean;
            total += c * c;
        }
        if (total == 0) return residual == 0 ? 1 : 0;
        return 1 - residual / total;
    }

    /// <summary>Mean squared error.</summary>
    public static double MeanSquaredError(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (actual.Length != predicted.Length) throw new ArgumentException($"{actual.Length} values but {predicted.Length} predictions");
        var sum = 0.0;
        for (var k = 0; k < actual.Length; k++)
        {
            var d = actual[k] - predicted[k];
            sum += d * d;
        }
        return actual.Length == 0 ? double.NaN : sum / actual.Length;
    }
}
