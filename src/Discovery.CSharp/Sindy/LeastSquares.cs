using System.Numerics.Tensors;

namespace Discovery.SparseRegression;

/// <summary>
/// The Householder QR factorisation of a regression problem's (column-scaled, optionally row-weighted) feature matrix
/// Θs = Θ·diag(1/s) together with Qᵀ Y: every least-squares fit on any subset of features afterwards is a small problem
/// on R alone, since ‖Θs z − y‖² = ‖R z − Qᵀy‖² + (‖y‖² − ‖Qᵀy‖²). One pass over the rows (SIMD dot products and updates
/// over the columns), QR accuracy (no squared condition number as with normal equations).
/// </summary>
internal sealed class QrFactor
{
    private QrFactor(double[,] r, double[][] qty, double[] targetSquares, double[] targetSums, double rowWeight, bool[] dependent)
    {
        R = r;
        Qty = qty;
        TargetSquares = targetSquares;
        TargetSums = targetSums;
        RowWeight = rowWeight;
        Dependent = dependent;
    }

    /// <summary>Upper triangular factor (features × features), in scaled coordinates.</summary>
    public double[,] R { get; }

    /// <summary>Qᵀ y for each target (first <c>features</c> entries).</summary>
    public double[][] Qty { get; }

    /// <summary>Weighted Σ y² per target.</summary>
    public double[] TargetSquares { get; }

    /// <summary>Weighted Σ y per target.</summary>
    public double[] TargetSums { get; }

    /// <summary>Total row weight (the number of rows when unweighted).</summary>
    public double RowWeight { get; }

    /// <summary>Features numerically dependent on earlier ones (or identically zero): never in a support.</summary>
    public bool[] Dependent { get; }

    public int Features => R.GetLength(0);

    /// <summary>
    /// Factors the scaled columns: <paramref name="features"/>[j][row] / <paramref name="scale"/>[j], with rows weighted
    /// by <paramref name="weights"/> (null: all 1; rows of weight 0 are skipped).
    /// </summary>
    public static QrFactor Of(double[][] features, double[][] targets, double[] scale, double[]? weights)
    {
        var p = features.Length;
        var m = targets.Length;
        var n = features.Length > 0 ? features[0].Length : targets[0].Length;
        int[]? rows = null;
        double[]? root = null;
        if (weights is not null)
        {
            rows = Enumerable.Range(0, n).Where(k => weights[k] > 0).ToArray();
            root = rows.Select(k => Math.Sqrt(weights[k])).ToArray();
        }
        var count = rows?.Length ?? n;
        // Work on copies: the factorisation overwrites them.
        var work = new double[p + m][];
        for (var j = 0; j < p + m; j++)
        {
            var source = j < p ? features[j] : targets[j - p];
            var factor = j < p ? 1.0 / scale[j] : 1.0;
            var column = new double[count];
            if (rows is null)
                TensorPrimitives.Multiply(source, factor, column);
            else
                for (var k = 0; k < count; k++) column[k] = source[rows[k]] * factor * root![k];
            work[j] = column;
        }
        var squares = new double[m];
        var sums = new double[m];
        for (var i = 0; i < m; i++)
        {
            var y = work[p + i];
            squares[i] = TensorPrimitives.Dot(y, y);
            if (rows is null) sums[i] = TensorPrimitives.Sum(y);
            else
                for (var k = 0; k < count; k++) sums[i] += y[k] * root![k];
        }
        var totalWeight = weights is null ? n : rows!.Sum(k => weights[k]);

        var r = new double[p, p];
        var dependent = new bool[p];
        for (var k = 0; k < p && k < count; k++)
        {
            var x = work[k].AsSpan(k);
            var norm = Math.Sqrt(TensorPrimitives.Dot(x, x));
            // Columns are scaled to unit norm, so what is left of column k measures its independence of the others.
            if (norm <= 1e-10)
            {
                dependent[k] = true;
                for (var j = k + 1; j < p; j++) r[k, j] = work[j][k];
                continue;
            }
            var alpha = x[0] >= 0 ? -norm : norm;
            var x0 = x[0];
            x[0] = x0 - alpha;
            var vv = norm * norm - x0 * x0 + x[0] * x[0];
            for (var j = k + 1; j < p + m; j++)
            {
                var target = work[j].AsSpan(k);
                var s = TensorPrimitives.Dot(x, target);
                var f = -2 * s / vv;
                TensorPrimitives.MultiplyAdd(x, f, target, target);
            }
            r[k, k] = alpha;
            for (var j = k + 1; j < p; j++) r[k, j] = work[j][k];
        }
        for (var k = count; k < p; k++) dependent[k] = true;
        var qty = new double[m][];
        for (var i = 0; i < m; i++)
        {
            qty[i] = new double[p];
            for (var k = 0; k < Math.Min(p, count); k++) qty[i][k] = work[p + i][k];
        }
        return new QrFactor(r, qty, squares, sums, totalWeight, dependent);
    }

    /// <summary>
    /// Minimises ‖R z − Qᵀy‖² + Σ_{j∈S} λ_j (z_j − t_j)² over z supported on <paramref name="support"/> (scaled
    /// coordinates); <paramref name="ridge"/> holds λ (null: none) and <paramref name="prior"/> t (null: 0). Writes z into
    /// <paramref name="solution"/> (zeros off the support).
    /// </summary>
    public void Solve(int target, ReadOnlySpan<int> support, double[]? ridge, double[]? prior, Span<double> solution)
    {
        solution.Clear();
        var s = support.Length;
        if (s == 0) return;
        var p = Features;
        var rows = p + s;
        var a = new double[rows, s];
        var b = new double[rows];
        for (var c = 0; c < s; c++)
        {
            var j = support[c];
            for (var k = 0; k <= j; k++) a[k, c] = R[k, j];
            if (ridge is not null && ridge[j] > 0)
            {
                var root = Math.Sqrt(ridge[j]);
                a[p + c, c] = root;
                b[p + c] = prior is null ? 0 : root * prior[j];
            }
        }
        var q = Qty[target];
        for (var k = 0; k < p; k++) b[k] = q[k];
        var z = SmallQr.Solve(a, b);
        for (var c = 0; c < s; c++) solution[support[c]] = z[c];
    }

    /// <summary>Weighted residual sum of squares ‖Θs z − y‖² of a solution in scaled coordinates.</summary>
    public double ResidualSquares(int target, ReadOnlySpan<double> z)
    {
        var p = Features;
        var q = Qty[target];
        var fitted = 0.0;
        var explained = 0.0;
        for (var k = 0; k < p; k++)
        {
            var rz = 0.0;
            for (var j = k; j < p; j++) rz += R[k, j] * z[j];
            var d = rz - q[k];
            fitted += d * d;
            explained += q[k] * q[k];
        }
        return Math.Max(0, fitted + TargetSquares[target] - explained);
    }

    /// <summary>Weighted Σ (y − ȳ)² of a target.</summary>
    public double TotalSquares(int target) =>
        Math.Max(0, TargetSquares[target] - TargetSums[target] * TargetSums[target] / RowWeight);
}

/// <summary>Dense Householder least squares for small systems (a few hundred rows and columns at most).</summary>
internal static class SmallQr
{
    /// <summary>The least-squares solution of A x ≈ b (A is overwritten). Columns that are numerically dependent get 0.</summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        var rows = a.GetLength(0);
        var cols = a.GetLength(1);
        var diagonal = new double[cols];
        var scaleOf = 0.0;
        for (var k = 0; k < cols; k++)
        {
            var norm = 0.0;
            for (var i = k; i < rows; i++) norm += a[i, k] * a[i, k];
            norm = Math.Sqrt(norm);
            scaleOf = Math.Max(scaleOf, norm);
            if (norm == 0)
            {
                diagonal[k] = 0;
                continue;
            }
            var alpha = a[k, k] >= 0 ? -norm : norm;
            var x0 = a[k, k];
            a[k, k] = x0 - alpha;
            var vv = norm * norm - x0 * x0 + a[k, k] * a[k, k];
            for (var j = k + 1; j < cols; j++)
            {
                var s = 0.0;
                for (var i = k; i < rows; i++) s += a[i, k] * a[i, j];
                var f = -2 * s / vv;
                for (var i = k; i < rows; i++) a[i, j] += f * a[i, k];
            }
            {
                var s = 0.0;
                for (var i = k; i < rows; i++) s += a[i, k] * b[i];
                var f = -2 * s / vv;
                for (var i = k; i < rows; i++) b[i] += f * a[i, k];
            }
            diagonal[k] = alpha;
        }
        var x = new double[cols];
        var tiny = 1e-13 * scaleOf;
        for (var k = cols - 1; k >= 0; k--)
        {
            if (Math.Abs(diagonal[k]) <= tiny)
            {
                x[k] = 0;
                continue;
            }
            var sum = b[k];
            for (var j = k + 1; j < cols; j++) sum -= a[k, j] * x[j];
            x[k] = sum / diagonal[k];
        }
        return x;
    }
}
