using System.Diagnostics;

namespace Discovery.Neural.Prose;

/// <summary>How a model did on one family of held-out instances.</summary>
/// <param name="Family">Zoo name.</param>
/// <param name="Instances">Instances evaluated.</param>
/// <param name="Valid">Share whose decoded tokens parse into as many components as states.</param>
/// <param name="RightTerms">Share whose refitted equations have exactly the true set of terms in every component.</param>
/// <param name="DecodedRightTerms">Share whose decoded equations (before the refit) have the true set of terms.</param>
/// <param name="FirstHalfError">Median relative L2 error of the data decoder's continuation, first half of the output window.</param>
/// <param name="SecondHalfError">The same, second half.</param>
/// <param name="RefitFirstHalfError">Median relative L2 error of the refitted equations integrated from the last observed state, first half (NaN when none integrate).</param>
/// <param name="RefitSecondHalfError">The same, second half.</param>
public sealed record ProseFamilyScore(string Family, int Instances, double Valid, double RightTerms, double DecodedRightTerms,
    double FirstHalfError, double SecondHalfError, double RefitFirstHalfError, double RefitSecondHalfError);

/// <summary>The scores over all families (pooled over instances) and per family.</summary>
public sealed record ProseEvaluationReport(ProseFamilyScore Overall, IReadOnlyList<ProseFamilyScore> Families, double Seconds, bool WithGuess, int Beam);

/// <summary>
/// Evaluates a model on held-out instances of its training families (a seed the training stream does not use): the share
/// of decoded expressions that are valid, the share with the right family (same set of terms as the truth) after the
/// constant refit, and the relative L2 error of the continuation per half of the output window.
/// </summary>
public static class ProseEvaluation
{
    /// <summary>Relative L2 error ‖prediction − truth‖ / ‖truth‖ over rows [from, to) of the output window.</summary>
    public static double RelativeL2(double[,] prediction, double[,] truth, int from, int to)
    {
        double error = 0, norm = 0;
        for (var k = from; k < to; k++)
            for (var i = 0; i < truth.GetLength(1); i++)
            {
                var e = prediction[k, i] - truth[k, i];
                error += e * e;
                norm += truth[k, i] * truth[k, i];
            }
        return norm > 0 ? Math.Sqrt(error / norm) : double.NaN;
    }

    /// <summary>
    /// Evaluates <paramref name="predictor"/> on <paramref name="perFamily"/> instances of each training family drawn with
    /// <paramref name="seed"/>, with noisy guesses as symbol input when <paramref name="withGuess"/>, decoding with
    /// <paramref name="beam"/> (1: greedy).
    /// </summary>
    public static ProseEvaluationReport Run(ProsePredictor predictor, int perFamily, int seed, bool withGuess = false, int beam = 1,
        Action<string>? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var info = predictor.Info;
        var generator = new ProseDataGenerator(info.DataOptions() with { GuessProbability = withGuess ? 1 : 0 });
        var observed = info.ObservedPoints;
        var rows = new List<(string Family, bool Valid, bool Right, bool DecodedRight, double E1, double E2, double R1, double R2)>();
        var families = info.Families;
        for (var f = 0; f < families.Count && !cancellation.IsCancellationRequested; f++)
        {
            var samples = new List<ProseSample>();
            for (var k = 0; samples.Count < perFamily && k < perFamily * 20; k++)
                if (generator.Sample(families[f], unchecked(seed * 7919 + f * 1_000_003 + k), withGuess) is { } s) samples.Add(s);
            foreach (var chunk in samples.Chunk(16))
            {
                if (cancellation.IsCancellationRequested) break;
                var windows = chunk.Select(s => (s.Times.Take(observed).ToArray(), Slice(s.States, 0, observed), withGuess ? s.InputIds : null))
                    .Select(w => (w.Item1, w.Item2, (int[]?)w.Item3)).ToList();
                var predictions = predictor.PredictBatch(windows, beam);
                for (var n = 0; n < chunk.Length; n++)
                {
                    var (sample, p) = (chunk[n], predictions[n]);
                    var truth = Slice(sample.States, observed, sample.Times.Length - observed);
                    var half = truth.GetLength(0) / 2;
                    var valid = p.Decoding.IsValid && p.Decoding.Components.Count == sample.Dimension;
                    var right = p.Refitted is not null && ProseTerms.SameTerms(p.Refitted, sample.Equations);
                    var decodedRight = valid && ProseTerms.SameTerms(p.Decoding.Components, sample.Equations);
                    var (r1, r2) = p.RefitContinuation is { } rc
                        ? (RelativeL2(rc, truth, 0, half), RelativeL2(rc, truth, half, truth.GetLength(0)))
                        : (double.NaN, double.NaN);
                    rows.Add((sample.Family, valid, right, decodedRight, RelativeL2(p.Continuation, truth, 0, half),
                        RelativeL2(p.Continuation, truth, half, truth.GetLength(0)), r1, r2));
                }
            }
            progress?.Invoke($"{families[f]}: {rows.Count(r => r.Family == families[f])} instances");
        }
        ProseFamilyScore Score(string name, IReadOnlyList<(string Family, bool Valid, bool Right, bool DecodedRight, double E1, double E2, double R1, double R2)> r) =>
            new(name, r.Count, Share(r.Select(x => x.Valid)), Share(r.Select(x => x.Right)), Share(r.Select(x => x.DecodedRight)),
                Median(r.Select(x => x.E1)), Median(r.Select(x => x.E2)), Median(r.Select(x => x.R1)), Median(r.Select(x => x.R2)));
        var perFamilyScores = families.Select(name => Score(name, rows.Where(r => r.Family == name).ToList())).Where(s => s.Instances > 0).ToList();
        return new ProseEvaluationReport(Score("all", rows), perFamilyScores, clock.Elapsed.TotalSeconds, withGuess, beam);
    }

    /// <summary>Rows [start, start + count) of a [time, variable] array.</summary>
    public static double[,] Slice(double[,] states, int start, int count)
    {
        var d = states.GetLength(1);
        var result = new double[count, d];
        for (var k = 0; k < count; k++)
            for (var i = 0; i < d; i++) result[k, i] = states[start + k, i];
        return result;
    }

    private static double Share(IEnumerable<bool> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? double.NaN : list.Count(v => v) / (double)list.Count;
    }

    /// <summary>Median of the finite values; NaN when there are none. Relative errors of chaotic continuations have heavy tails, so the median is the fair summary.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
