using System.Globalization;
using Discovery.Results;

namespace Discovery.Reports;

/// <summary>The "how sure are we" section, built from what the result records.</summary>
public static class ReportNotes
{
    /// <summary>The sentence every report ends its assessment with.</summary>
    public const string Caveat =
        "A good fit does not prove that these equations are the exact law behind the data: other equations can fit the " +
        "same data as well, above all outside the range that was measured. Treat them as a well-supported hypothesis and " +
        "test them on new data (other initial conditions, other parameters) and against what is known about the system.";

    private static readonly string[] HeldOutR2Keys = ["r2_test", "test_r2", "r2_holdout", "holdout_r2", "r2_validation", "validation_r2"];
    private static readonly string[] NoiseKeys = ["noise", "noise_level", "noise_estimate"];

    /// <summary>
    /// Plain sentences on how far to trust the result: the fit (R² on fitted and held-out data), the noise level, ensemble
    /// term probabilities and coefficient intervals, how sharply the Pareto front singles out the chosen model, whether
    /// the run was interrupted, then the learner's own <see cref="DiscoveryResult.Notes"/>. Never a claim of exact recovery.
    /// </summary>
    public static IReadOnlyList<string> HowSure(DiscoveryResult result)
    {
        var notes = new List<string>();
        var metrics = result.Metrics;

        if (TryGet(metrics, "r2", out var r2))
        {
            var quality = r2 >= 0.999 ? "a very close fit" : r2 >= 0.99 ? "a close fit" : r2 >= 0.9 ? "a fair fit" : "a poor fit: the equations miss much of the behaviour";
            notes.Add($"On the data it was fitted to, the model reaches R² = {ReportFormat.Metric("r2", r2)} ({quality}; 1 is perfect).");
        }
        var heldOut = HeldOutR2Keys.FirstOrDefault(k => TryGet(metrics, k, out _));
        if (heldOut is not null)
            notes.Add($"On held-out data not used for fitting, R² = {ReportFormat.Metric("r2", metrics[heldOut])}.");
        else if (metrics.Count > 0)
            notes.Add("No held-out data were scored: the metrics are measured on the data the equations were fitted to, so they may be optimistic.");
        else
            notes.Add("No fit metrics were recorded for this run.");

        if (NoiseLevel(result) is { } noise)
            notes.Add($"The data carry noise of about {ReportFormat.Percent(noise.Level)} of each signal ({noise.Source}); " +
                      "fitted coefficients are estimates, uncertain by roughly that order or more.");

        notes.AddRange(PerTargetNotes(result));

        if (result.Interrupted)
            notes.Add("The run was stopped before it finished and kept the best equations found so far; a full run may find better ones.");
        notes.AddRange(result.Notes.Where(n => !string.IsNullOrWhiteSpace(n)));
        return notes;
    }

    private static bool TryGet(IReadOnlyDictionary<string, double> metrics, string key, out double value) =>
        metrics.TryGetValue(key, out value) && double.IsFinite(value);

    private static (double Level, string Source)? NoiseLevel(DiscoveryResult result)
    {
        foreach (var key in NoiseKeys)
        {
            if (TryGet(result.Metrics, key, out var level) && level > 0) return (level, $"metric '{key}'");
            if (result.Options.TryGetValue(key, out var text)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out level) && double.IsFinite(level) && level > 0)
                return (level, $"option '{key}'");
        }
        return null;
    }

    /// <summary>One sentence per target on its ensemble terms and its Pareto front, in the order of the equations.</summary>
    private static IEnumerable<string> PerTargetNotes(DiscoveryResult result)
    {
        var targets = result.Equations.Select(e => e.Target)
            .Concat(result.Pareto.Select(p => p.Target ?? ""))
            .Distinct(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            var parts = new List<string>();
            var equation = result.Equations.FirstOrDefault(e => e.Target == target);
            if (equation is not null) parts.AddRange(EnsembleParts(equation));
            parts.AddRange(ParetoParts(result.Pareto.Where(p => (p.Target ?? "") == target).ToList()));
            if (parts.Count == 0) continue;
            var text = string.Join("; ", parts) + ".";
            yield return target.Length > 0 ? $"{target}: {text}" : char.ToUpperInvariant(text[0]) + text[1..];
        }
    }

    private static IEnumerable<string> EnsembleParts(EquationResult equation)
    {
        var terms = equation.Terms ?? [];
        static bool Straddles(TermResult t) => t.Low is { } lo && t.High is { } hi && lo <= 0 && hi >= 0;
        var withProbability = terms.Where(t => t.InclusionProbability is { } p && double.IsFinite(p)).ToList();
        var doubtful = withProbability.Where(t => t.InclusionProbability is > 0.1 and < 0.9)
            .OrderByDescending(t => t.InclusionProbability).ToList();
        if (withProbability.Count > 0)
        {
            var strong = withProbability.Count(t => t.InclusionProbability >= 0.9);
            yield return $"{strong} of {withProbability.Count} terms are in at least 90% of the ensemble's models";
            if (doubtful.Count > 0)
            {
                var listed = doubtful.Take(6).Select(t =>
                    $"{t.Term} ({ReportFormat.Percent(t.InclusionProbability!.Value)}{(Straddles(t) ? ", interval includes 0" : "")})");
                yield return $"doubtful: {string.Join(", ", listed)}{(doubtful.Count > 6 ? $" and {doubtful.Count - 6} more" : "")}";
            }
        }
        var straddling = terms.Where(t => Straddles(t) && !doubtful.Contains(t) && t.InclusionProbability is not (<= 0.1)).ToList();
        if (straddling.Count > 0)
            yield return $"the coefficient interval of {string.Join(", ", straddling.Select(t => t.Term))} includes zero, so the term may not belong";
    }

    private static IEnumerable<string> ParetoParts(IReadOnlyList<ParetoPoint> front)
    {
        var chosen = front.FirstOrDefault(p => p.Chosen);
        if (chosen is null || !double.IsFinite(chosen.Loss) || chosen.Loss <= 0) yield break;
        var simpler = front.Where(p => p.Complexity < chosen.Complexity && double.IsFinite(p.Loss)).MaxBy(p => p.Complexity);
        if (simpler is not null)
        {
            var ratio = ReportFormat.Number(simpler.Loss / chosen.Loss, 3);
            yield return simpler.Loss / chosen.Loss >= 10
                ? $"the next simpler candidate (complexity {simpler.Complexity}) has {ratio}× the loss of the chosen one (complexity {chosen.Complexity}), a clear step"
                : $"the next simpler candidate (complexity {simpler.Complexity}) has only {ratio}× the loss of the chosen one (complexity {chosen.Complexity}), so the choice is not sharp";
        }
        var better = front.Where(p => p.Complexity > chosen.Complexity && double.IsFinite(p.Loss)).MinBy(p => p.Loss);
        if (better is not null && better.Loss < chosen.Loss)
        {
            var gain = 1 - better.Loss / chosen.Loss;
            yield return gain < 0.5
                ? $"more complex candidates lower the loss by at most {ReportFormat.Percent(gain)}, not worth their extra terms"
                : $"a more complex candidate (complexity {better.Complexity}) lowers the loss by {ReportFormat.Percent(gain)}, so the law may have more to it than the chosen equation";
        }
    }
}
