using System.Globalization;

namespace Discovery.Benchmarks;

/// <summary>
/// What changed between two SRBench result files (<c>discovery bench compare A.json B.json</c>): the median rates, and
/// per problem and run seed the verdicts gained or lost, the equations that changed, and what only one side ran.
/// </summary>
public static class SrBenchComparison
{
    /// <summary>The comparison as lines of text, A first, then B.</summary>
    public static IReadOnlyList<string> Lines(SrBenchReport a, SrBenchReport b)
    {
        var g = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(g, $"symbolic-solution rate: {a.SymbolicSolutionRate:P1} -> {b.SymbolicSolutionRate:P1} ({Signed(b.SymbolicSolutionRate - a.SymbolicSolutionRate)})"),
            string.Create(g, $"accuracy-solution rate: {a.AccuracySolutionRate:P1} -> {b.AccuracySolutionRate:P1} ({Signed(b.AccuracySolutionRate - a.AccuracySolutionRate)})"),
        };
        foreach (var (what, left, right) in Settings(a, b))
            if (left != right) lines.Add($"setting {what}: {left} -> {right}");
        var before = a.Entries.ToDictionary(Key);
        var after = b.Entries.ToDictionary(Key);
        int same = 0, changed = 0;
        foreach (var (key, old) in before.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!after.TryGetValue(key, out var now))
            {
                lines.Add($"only in A: {key}");
                continue;
            }
            if (old.SymbolicSolution != now.SymbolicSolution || old.AccuracySolution != now.AccuracySolution)
                lines.Add($"{(Rank(now) > Rank(old) ? "gained" : "lost")}: {key} {Verdict(old)} -> {Verdict(now)}: {old.Found}  ->  {now.Found}");
            else if (old.Found != now.Found) changed++;
            else same++;
        }
        foreach (var key in after.Keys.Where(k => !before.ContainsKey(k)).Order(StringComparer.Ordinal))
            lines.Add($"only in B: {key}");
        lines.Add($"same equation: {same}; other equation with the same verdict: {changed}");
        return lines;
    }

    private static string Key(SrBenchEntry e) => string.Create(CultureInfo.InvariantCulture, $"{e.Id} (seed {e.RunSeed})");

    private static int Rank(SrBenchEntry e) => e.SymbolicSolution ? 2 : e.AccuracySolution ? 1 : 0;

    private static string Verdict(SrBenchEntry e) => e.SymbolicSolution ? "symbolic" : e.AccuracySolution ? "accurate" : "unsolved";

    private static string Signed(double difference) =>
        string.Create(CultureInfo.InvariantCulture, $"{(difference >= 0 ? "+" : "")}{difference * 100:F1} points");

    private static IEnumerable<(string, string, string)> Settings(SrBenchReport a, SrBenchReport b)
    {
        var g = CultureInfo.InvariantCulture;
        yield return ("seconds", a.Seconds.ToString(g), b.Seconds.ToString(g));
        yield return ("iterations", a.Iterations?.ToString(g) ?? "none", b.Iterations?.ToString(g) ?? "none");
        yield return ("noise", a.Noise.ToString(g), b.Noise.ToString(g));
        yield return ("rows", a.Rows.ToString(g), b.Rows.ToString(g));
        yield return ("operators", a.Operators, b.Operators);
        yield return ("commit", a.Provenance?.Commit ?? "unknown", b.Provenance?.Commit ?? "unknown");
    }
}
