using System.Globalization;
using System.Text;

namespace Discovery.Neural.Plrnn;

/// <summary>A linear subregion of an AL-RNN and how often a trajectory was in it.</summary>
/// <param name="Code">The sign pattern of the P piecewise-linear units, '1' where the unit is positive, first unit first.</param>
/// <param name="Count">Time steps spent in the subregion.</param>
/// <param name="Fraction">Count over all time steps.</param>
public sealed record SubregionVisit(string Code, int Count, double Fraction);

/// <summary>Steps from one subregion into the next (self-transitions included).</summary>
/// <param name="Probability">Count over all steps leaving <paramref name="From"/>: P(next = To | now = From).</param>
public sealed record SubregionTransition(string From, string To, int Count, double Probability);

/// <summary>
/// The affine map z' = M z + c of an AL-RNN inside one subregion: M = diag(A) + W D, D = diag(1 for linear units,
/// 1/0 for the piecewise-linear units by the code), c = h.
/// </summary>
public sealed record AffineSubregion(string Code, double[,] Matrix, double[] Offset)
{
    /// <summary>
    /// The map as one equation per latent unit, <c>z1[t+1] = 0.98*z1 + 0.1*z4 - 0.02</c>; coefficients with magnitude
    /// below <paramref name="drop"/> are left out; <paramref name="names"/> names the units (default z1..zM).
    /// </summary>
    public IReadOnlyList<string> Equations(IReadOnlyList<string>? names = null, int digits = 4, double drop = 1e-4)
    {
        var m = Offset.Length;
        names ??= Enumerable.Range(1, m).Select(i => $"z{i}").ToArray();
        var lines = new List<string>(m);
        var format = "G" + digits.ToString(CultureInfo.InvariantCulture);
        for (var r = 0; r < m; r++)
        {
            var text = new StringBuilder();
            void Term(double c, string? name)
            {
                if (Math.Abs(c) < drop) return;
                var magnitude = Math.Abs(c).ToString(format, CultureInfo.InvariantCulture);
                text.Append(text.Length == 0 ? (c < 0 ? "-" : "") : (c < 0 ? " - " : " + "));
                text.Append(name is null ? magnitude : $"{magnitude}*{name}");
            }
            for (var c = 0; c < m; c++) Term(Matrix[r, c], names[c]);
            Term(Offset[r], null);
            lines.Add($"{names[r]}[t+1] = {(text.Length == 0 ? "0" : text.ToString())}");
        }
        return lines;
    }
}

/// <summary>What the symbolic codes of a trajectory say about the attractor.</summary>
/// <param name="Relu">P, the number of piecewise-linear units (so 2^P subregions exist).</param>
/// <param name="Steps">Length of the trajectory.</param>
/// <param name="Regions">Visited subregions, most visited first.</param>
/// <param name="Transitions">Transitions between visited subregions, by source then target in the order of <paramref name="Regions"/>.</param>
public sealed record SymbolicSummary(int Relu, int Steps, IReadOnlyList<SubregionVisit> Regions, IReadOnlyList<SubregionTransition> Transitions)
{
    /// <summary>2^P.</summary>
    public double TotalRegions => Math.Pow(2, Relu);
}

/// <summary>
/// Symbolic dynamics of an AL-RNN: inside each linear subregion (a sign pattern of its P relu units) the model is an
/// affine map, so a trajectory becomes a sequence of symbols, and the visited subregions with their transition counts
/// form a graph summarising the attractor's topology.
/// </summary>
public static class SymbolicCodes
{
    /// <summary>The code of a latent state: for each piecewise-linear unit in order, '1' when it is above 0, else '0'.</summary>
    public static string CodeOf(AlrnnMap map, ReadOnlySpan<double> z)
    {
        var chars = new char[map.Relu];
        for (var k = 0; k < map.Relu; k++) chars[k] = z[map.FirstRelu + k] > 0 ? '1' : '0';
        return new string(chars);
    }

    /// <summary>The code of each row of a latent trajectory.</summary>
    public static string[] Sequence(AlrnnMap map, IReadOnlyList<double[]> latent) => latent.Select(z => CodeOf(map, z)).ToArray();

    /// <summary>Visited subregions with visit counts and the transition probabilities between them.</summary>
    public static SymbolicSummary Summarise(AlrnnMap map, IReadOnlyList<double[]> latent) => Summarise(map.Relu, Sequence(map, latent));

    /// <summary>The summary of a code sequence (P = <paramref name="relu"/>).</summary>
    public static SymbolicSummary Summarise(int relu, IReadOnlyList<string> codes)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in codes) counts[c] = counts.GetValueOrDefault(c) + 1;
        var order = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToList();
        var regions = order.Select(c => new SubregionVisit(c, counts[c], counts[c] / (double)codes.Count)).ToList();

        var pairs = new Dictionary<(string, string), int>();
        var leaving = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var t = 0; t + 1 < codes.Count; t++)
        {
            pairs[(codes[t], codes[t + 1])] = pairs.GetValueOrDefault((codes[t], codes[t + 1])) + 1;
            leaving[codes[t]] = leaving.GetValueOrDefault(codes[t]) + 1;
        }
        var rank = order.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var transitions = pairs
            .OrderBy(kv => rank[kv.Key.Item1]).ThenBy(kv => rank[kv.Key.Item2])
            .Select(kv => new SubregionTransition(kv.Key.Item1, kv.Key.Item2, kv.Value, kv.Value / (double)leaving[kv.Key.Item1]))
            .ToList();
        return new SymbolicSummary(relu, codes.Count, regions, transitions);
    }

    /// <summary>The affine map of the subregion with code <paramref name="code"/> (P characters '0'/'1').</summary>
    public static AffineSubregion AffineMap(AlrnnMap map, string code)
    {
        if (code.Length != map.Relu || code.Any(c => c is not ('0' or '1')))
            throw new ArgumentException($"a code has {map.Relu} characters '0' or '1' (got '{code}')");
        var m = map.Latent;
        var matrix = new double[m, m];
        for (var c = 0; c < m; c++)
        {
            var d = c < map.FirstRelu || code[c - map.FirstRelu] == '1' ? 1.0 : 0.0;
            for (var r = 0; r < m; r++) matrix[r, c] = map.W[r, c] * d;
        }
        for (var r = 0; r < m; r++) matrix[r, r] += map.A[r];
        return new AffineSubregion(code, matrix, (double[])map.H.Clone());
    }
}
