namespace Discovery.Integration;

/// <summary>
/// LU decomposition with partial pivoting of a small dense row-major matrix, in place, with reusable buffers: the
/// linear algebra of the stiff solver, sized for ODE systems of a few to a few hundred states.
/// </summary>
internal sealed class DenseLu(int n)
{
    private readonly double[] _lu = new double[n * n];
    private readonly int[] _pivot = new int[n];

    /// <summary>Size of the matrix.</summary>
    public int Size { get; } = n;

    /// <summary>Factors <paramref name="matrix"/> (row-major n × n, left untouched); false when it is singular.</summary>
    public bool Factor(ReadOnlySpan<double> matrix)
    {
        var n = Size;
        matrix.CopyTo(_lu);
        var a = _lu.AsSpan();
        for (var k = 0; k < n; k++)
        {
            var p = k;
            var max = Math.Abs(a[k * n + k]);
            for (var i = k + 1; i < n; i++)
            {
                var v = Math.Abs(a[i * n + k]);
                if (v > max) { max = v; p = i; }
            }
            if (max == 0 || !double.IsFinite(max)) return false;
            _pivot[k] = p;
            if (p != k)
                for (var j = 0; j < n; j++) (a[k * n + j], a[p * n + j]) = (a[p * n + j], a[k * n + j]);
            var inverse = 1.0 / a[k * n + k];
            for (var i = k + 1; i < n; i++)
            {
                var m = a[i * n + k] * inverse;
                a[i * n + k] = m;
                if (m == 0) continue;
                for (var j = k + 1; j < n; j++) a[i * n + j] -= m * a[k * n + j];
            }
        }
        return true;
    }

    /// <summary>Overwrites <paramref name="b"/> with the solution of A x = b for the last factored A.</summary>
    public void Solve(Span<double> b)
    {
        var n = Size;
        var a = _lu.AsSpan();
        for (var k = 0; k < n; k++)
        {
            var p = _pivot[k];
            if (p != k) (b[k], b[p]) = (b[p], b[k]);
        }
        for (var i = 1; i < n; i++)
        {
            var sum = b[i];
            for (var j = 0; j < i; j++) sum -= a[i * n + j] * b[j];
            b[i] = sum;
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var j = i + 1; j < n; j++) sum -= a[i * n + j] * b[j];
            b[i] = sum / a[i * n + i];
        }
    }
}
