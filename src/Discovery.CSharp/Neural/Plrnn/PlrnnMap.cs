namespace Discovery.Neural.Plrnn;

/// <summary>
/// A trained (or hand-built) member of the PLRNN family as plain double arrays: one step of the map, its Jacobian, the
/// initial latent state of an observation and free generation. Everything that does not need gradients (metrics,
/// symbolic codes, distillation, the Jacobian-norm estimate of generalised teacher forcing) runs on this pure C# copy.
/// </summary>
public abstract class PlrnnMap
{
    protected PlrnnMap(double[] a, double[] h, double[,] b, int observed)
    {
        A = a;
        H = h;
        B = b;
        Observed = observed;
        if (b.GetLength(0) != observed || b.GetLength(1) != a.Length)
            throw new ArgumentException($"B must be {observed} x {a.Length} (got {b.GetLength(0)} x {b.GetLength(1)})");
        if (h.Length != a.Length) throw new ArgumentException($"h must have {a.Length} entries (got {h.Length})");
    }

    /// <summary>The diagonal of A.</summary>
    public double[] A { get; }

    /// <summary>The bias h (h1 for the shallow PLRNN).</summary>
    public double[] H { get; }

    /// <summary>N x M matrix giving the unobserved latent units their start value x B.</summary>
    public double[,] B { get; }

    /// <summary>M, the number of latent units.</summary>
    public int Latent => A.Length;

    /// <summary>N, the number of observed (read-out) units: the first N latent units.</summary>
    public int Observed { get; }

    /// <summary>Which member of the family.</summary>
    public abstract PlrnnKind Kind { get; }

    /// <summary>One step z -> z' into <paramref name="next"/> (which must not alias <paramref name="z"/>).</summary>
    public abstract void Step(ReadOnlySpan<double> z, Span<double> next);

    /// <summary>The Jacobian dz'/dz at <paramref name="z"/> (M x M; on a region boundary the relu's derivative counts as 0).</summary>
    public abstract double[,] Jacobian(ReadOnlySpan<double> z);

    /// <summary>One step, allocating the result.</summary>
    public double[] Step(ReadOnlySpan<double> z)
    {
        var next = new double[Latent];
        Step(z, next);
        return next;
    }

    /// <summary>The latent state of an observation x: x B with the first N units set to x.</summary>
    public double[] InitialState(ReadOnlySpan<double> x)
    {
        if (x.Length != Observed) throw new ArgumentException($"an observation has {Observed} values (got {x.Length})");
        var z = new double[Latent];
        for (var j = 0; j < Latent; j++)
        {
            var s = 0.0;
            for (var i = 0; i < Observed; i++) s += x[i] * B[i, j];
            z[j] = s;
        }
        x.CopyTo(z);
        return z;
    }

    /// <summary>
    /// A free trajectory of <paramref name="steps"/> latent states after <paramref name="z0"/> (z0 itself not included),
    /// <paramref name="transient"/> further steps dropped first. Rows are time steps.
    /// </summary>
    public double[][] Generate(ReadOnlySpan<double> z0, int steps, int transient = 0)
    {
        var z = z0.ToArray();
        var next = new double[Latent];
        for (var t = 0; t < transient; t++)
        {
            Step(z, next);
            (z, next) = (next, z);
        }
        var rows = new double[steps][];
        for (var t = 0; t < steps; t++)
        {
            Step(z, next);
            (z, next) = (next, z);
            rows[t] = (double[])z.Clone();
        }
        return rows;
    }

    /// <summary>The observed units of latent rows: a T x N array.</summary>
    public double[,] Observe(IReadOnlyList<double[]> latent)
    {
        var x = new double[latent.Count, Observed];
        for (var t = 0; t < latent.Count; t++)
            for (var i = 0; i < Observed; i++) x[t, i] = latent[t][i];
        return x;
    }

    /// <summary>Largest singular value of a square matrix (power iteration on JᵀJ).</summary>
    public static double SpectralNorm(double[,] j, int iterations = 30)
    {
        var n = j.GetLength(0);
        var v = new double[n];
        for (var i = 0; i < n; i++) v[i] = 1.0 / Math.Sqrt(n) * (1 + 0.01 * i);
        var u = new double[n];
        var sigma = 0.0;
        for (var k = 0; k < iterations; k++)
        {
            for (var r = 0; r < n; r++)
            {
                var s = 0.0;
                for (var c = 0; c < n; c++) s += j[r, c] * v[c];
                u[r] = s;
            }
            for (var c = 0; c < n; c++)
            {
                var s = 0.0;
                for (var r = 0; r < n; r++) s += j[r, c] * u[r];
                v[c] = s;
            }
            var norm = Math.Sqrt(v.Sum(x => x * x));
            if (norm == 0) return 0;
            for (var c = 0; c < n; c++) v[c] /= norm;
            sigma = Math.Sqrt(norm);
        }
        return sigma;
    }

    protected static double Rectify(double x) => x > 0 ? x : 0;
}

/// <summary>The almost-linear RNN z' = A z + W phi(z) + h, phi = relu on the last <see cref="Relu"/> units.</summary>
public sealed class AlrnnMap : PlrnnMap
{
    /// <summary>A hand-built or trained AL-RNN. <paramref name="b"/> defaults to zeros (unobserved units start at 0).</summary>
    public AlrnnMap(double[] a, double[,] w, double[] h, int relu, int observed, double[,]? b = null)
        : base(a, h, b ?? new double[observed, a.Length], observed)
    {
        if (w.GetLength(0) != a.Length || w.GetLength(1) != a.Length) throw new ArgumentException($"W must be {a.Length} x {a.Length}");
        if (relu < 1 || relu > a.Length) throw new ArgumentException($"P must be between 1 and M = {a.Length} (got {relu})");
        W = w;
        Relu = relu;
    }

    /// <summary>M x M connection matrix.</summary>
    public double[,] W { get; }

    /// <summary>P, the number of piecewise-linear units (the last P).</summary>
    public int Relu { get; }

    /// <summary>Index of the first piecewise-linear unit, M - P.</summary>
    public int FirstRelu => Latent - Relu;

    public override PlrnnKind Kind => PlrnnKind.AlRnn;

    public override void Step(ReadOnlySpan<double> z, Span<double> next)
    {
        var m = Latent;
        Span<double> phi = m <= 256 ? stackalloc double[m] : new double[m];
        for (var i = 0; i < m; i++) phi[i] = i >= FirstRelu ? Rectify(z[i]) : z[i];
        for (var r = 0; r < m; r++)
        {
            var s = A[r] * z[r] + H[r];
            for (var c = 0; c < m; c++) s += W[r, c] * phi[c];
            next[r] = s;
        }
    }

    public override double[,] Jacobian(ReadOnlySpan<double> z)
    {
        var m = Latent;
        var j = new double[m, m];
        for (var c = 0; c < m; c++)
        {
            var d = c < FirstRelu || z[c] > 0 ? 1.0 : 0.0;
            for (var r = 0; r < m; r++) j[r, c] = W[r, c] * d;
        }
        for (var r = 0; r < m; r++) j[r, r] += A[r];
        return j;
    }
}

/// <summary>The vanilla PLRNN z' = A z + W relu(z) + h.</summary>
public sealed class VanillaPlrnnMap : PlrnnMap
{
    public VanillaPlrnnMap(double[] a, double[,] w, double[] h, int observed, double[,]? b = null)
        : base(a, h, b ?? new double[observed, a.Length], observed)
    {
        if (w.GetLength(0) != a.Length || w.GetLength(1) != a.Length) throw new ArgumentException($"W must be {a.Length} x {a.Length}");
        W = w;
    }

    /// <summary>M x M connection matrix.</summary>
    public double[,] W { get; }

    public override PlrnnKind Kind => PlrnnKind.Plrnn;

    public override void Step(ReadOnlySpan<double> z, Span<double> next)
    {
        var m = Latent;
        for (var r = 0; r < m; r++)
        {
            var s = A[r] * z[r] + H[r];
            for (var c = 0; c < m; c++) s += W[r, c] * Rectify(z[c]);
            next[r] = s;
        }
    }

    public override double[,] Jacobian(ReadOnlySpan<double> z)
    {
        var m = Latent;
        var j = new double[m, m];
        for (var c = 0; c < m; c++)
            if (z[c] > 0)
                for (var r = 0; r < m; r++) j[r, c] = W[r, c];
        for (var r = 0; r < m; r++) j[r, r] += A[r];
        return j;
    }
}

/// <summary>The shallow PLRNN z' = A z + W1 relu(W2 z + h2) + h1, or its clipped form with - relu(W2 z) inside.</summary>
public sealed class ShallowPlrnnMap : PlrnnMap
{
    public ShallowPlrnnMap(double[] a, double[,] w1, double[,] w2, double[] h1, double[] h2, bool clipped, int observed, double[,]? b = null)
        : base(a, h1, b ?? new double[observed, a.Length], observed)
    {
        var hidden = h2.Length;
        if (w1.GetLength(0) != a.Length || w1.GetLength(1) != hidden) throw new ArgumentException($"W1 must be {a.Length} x {hidden}");
        if (w2.GetLength(0) != hidden || w2.GetLength(1) != a.Length) throw new ArgumentException($"W2 must be {hidden} x {a.Length}");
        W1 = w1;
        W2 = w2;
        H2 = h2;
        Clipped = clipped;
    }

    public double[,] W1 { get; }
    public double[,] W2 { get; }
    public double[] H2 { get; }
    public bool Clipped { get; }
    public int Hidden => H2.Length;

    public override PlrnnKind Kind => Clipped ? PlrnnKind.ClippedShallowPlrnn : PlrnnKind.ShallowPlrnn;

    public override void Step(ReadOnlySpan<double> z, Span<double> next)
    {
        var m = Latent;
        var hidden = new double[Hidden];
        for (var k = 0; k < Hidden; k++)
        {
            var s = 0.0;
            for (var c = 0; c < m; c++) s += W2[k, c] * z[c];
            hidden[k] = Rectify(s + H2[k]) - (Clipped ? Rectify(s) : 0);
        }
        for (var r = 0; r < m; r++)
        {
            var s = A[r] * z[r] + H[r];
            for (var k = 0; k < Hidden; k++) s += W1[r, k] * hidden[k];
            next[r] = s;
        }
    }

    public override double[,] Jacobian(ReadOnlySpan<double> z)
    {
        var m = Latent;
        var d = new double[Hidden];
        for (var k = 0; k < Hidden; k++)
        {
            var s = 0.0;
            for (var c = 0; c < m; c++) s += W2[k, c] * z[c];
            d[k] = (s + H2[k] > 0 ? 1 : 0) - (Clipped && s > 0 ? 1 : 0);
        }
        var j = new double[m, m];
        for (var r = 0; r < m; r++)
        {
            for (var c = 0; c < m; c++)
            {
                var s = 0.0;
                for (var k = 0; k < Hidden; k++) s += W1[r, k] * d[k] * W2[k, c];
                j[r, c] = s;
            }
            j[r, r] += A[r];
        }
        return j;
    }
}
