using static TorchSharp.torch;

namespace Discovery.Neural.Prose;

/// <summary>
/// How an observed window is shown to the network: states centred and scaled by the window's own mean and standard
/// deviation (per variable), times divided by the span of the training data; the mean and log10 scale go in as a token of
/// their own so the symbol decoder still sees the magnitudes.
/// </summary>
/// <param name="Mean">Per-variable mean of the observed window.</param>
/// <param name="Scale">Per-variable standard deviation (at least 1e-3).</param>
public sealed record ProseNormalisation(double[] Mean, double[] Scale)
{
    /// <summary>The normalisation of the first <paramref name="rows"/> rows of <paramref name="states"/>.</summary>
    public static ProseNormalisation Of(double[,] states, int rows)
    {
        var d = states.GetLength(1);
        var mean = new double[d];
        var scale = new double[d];
        for (var i = 0; i < d; i++)
        {
            double sum = 0, squares = 0;
            for (var k = 0; k < rows; k++) sum += states[k, i];
            mean[i] = sum / rows;
            for (var k = 0; k < rows; k++) squares += (states[k, i] - mean[i]) * (states[k, i] - mean[i]);
            scale[i] = Math.Max(Math.Sqrt(squares / rows), 1e-3);
        }
        return new ProseNormalisation(mean, scale);
    }

    /// <summary>The statistics token's features: mean / 10 then log10 scale, per variable.</summary>
    public float[] Features() => Mean.Select(m => (float)(m / 10)).Concat(Scale.Select(s => (float)Math.Log10(s))).ToArray();
}

/// <summary>A batch as tensors (see <see cref="ProseModel.Encode"/> for the shapes).</summary>
public sealed record ProseBatch(Tensor Points, Tensor Stats, Tensor Symbols, Tensor QueryTimes, Tensor? TargetStates,
    Tensor? DecoderInput, Tensor? DecoderTarget, IReadOnlyList<ProseNormalisation> Normalisations)
{
    /// <summary>Clip of normalised targets, so a trajectory that leaves its window far behind does not dominate the loss.</summary>
    public const float TargetClip = 20;

    /// <summary>
    /// A training batch: the first <paramref name="observed"/> points as input, the rest as data targets, the symbol input
    /// and the equations' tokens as decoder input (begin marker first) and target (end marker last), padded with 0. With
    /// <paramref name="queryRandom"/>, only <paramref name="queries"/> predicted points drawn at random (the same for the
    /// whole batch) are queried and targeted.
    /// </summary>
    public static ProseBatch FromSamples(IReadOnlyList<ProseSample> samples, int observed, double timeSpan, int maxSymbolTokens,
        Random? queryRandom = null, int queries = 0)
    {
        var all = samples[0].Times.Length - observed;
        var rows = queryRandom is null || queries <= 0 || queries >= all
            ? Enumerable.Range(observed, all).ToArray()
            : Enumerable.Range(observed, all).OrderBy(_ => queryRandom.Next()).Take(queries).Order().ToArray();
        var batch = Inputs(samples.Select(s => (s.Times, s.States, (IReadOnlyList<int>)s.InputIds)).ToList(), observed, timeSpan, maxSymbolTokens,
            rows.Select(r => samples[0].Times[r]).ToArray());
        var (b, d) = (samples.Count, samples[0].Dimension);
        var predicted = rows.Length;
        var targets = new float[b * predicted * d];
        for (var n = 0; n < b; n++)
        {
            var norm = batch.Normalisations[n];
            for (var k = 0; k < predicted; k++)
                for (var i = 0; i < d; i++)
                    targets[(n * predicted + k) * d + i] =
                        Math.Clamp((float)((samples[n].States[rows[k], i] - norm.Mean[i]) / norm.Scale[i]), -TargetClip, TargetClip);
        }
        var length = Math.Min(samples.Max(s => s.TargetIds.Length) + 1, maxSymbolTokens);
        var input = new long[b * length];
        var output = new long[b * length];
        var begin = ProseTokenizer.Id(ProseTokenizer.Begin);
        var end = ProseTokenizer.Id(ProseTokenizer.End);
        for (var n = 0; n < b; n++)
        {
            var ids = samples[n].TargetIds;
            for (var k = 0; k < length; k++)
            {
                input[n * length + k] = k == 0 ? begin : k - 1 < ids.Length ? ids[k - 1] : 0;
                output[n * length + k] = k < ids.Length ? ids[k] : k == ids.Length ? end : 0;
            }
        }
        return batch with
        {
            TargetStates = tensor(targets, [b, predicted, d]),
            DecoderInput = tensor(input, [b, length]),
            DecoderTarget = tensor(output, [b, length]),
        };
    }

    /// <summary>An inference batch: observed windows, symbol inputs and the times to predict (shared by the batch).</summary>
    public static ProseBatch Inputs(IReadOnlyList<(double[] Times, double[,] States, IReadOnlyList<int> Symbols)> windows, int observed,
        double timeSpan, int maxSymbolTokens, double[] queryTimes)
    {
        var b = windows.Count;
        var d = windows[0].States.GetLength(1);
        var points = new float[b * observed * (1 + d)];
        var stats = new float[b * 2 * d];
        var norms = new List<ProseNormalisation>();
        var symbolLength = Math.Min(windows.Max(w => w.Symbols.Count), maxSymbolTokens);
        var symbols = new long[b * symbolLength];
        for (var n = 0; n < b; n++)
        {
            var (times, states, ids) = windows[n];
            var norm = ProseNormalisation.Of(states, observed);
            norms.Add(norm);
            var t0 = times[0];
            for (var k = 0; k < observed; k++)
            {
                var offset = (n * observed + k) * (1 + d);
                points[offset] = (float)((times[k] - t0) / timeSpan);
                for (var i = 0; i < d; i++) points[offset + 1 + i] = (float)((states[k, i] - norm.Mean[i]) / norm.Scale[i]);
            }
            norm.Features().CopyTo(stats, n * 2 * d);
            for (var k = 0; k < Math.Min(ids.Count, symbolLength); k++) symbols[n * symbolLength + k] = ids[k];
        }
        var q = queryTimes.Select(t => (float)(t / timeSpan)).ToArray();
        var queries = tensor(q, [1, q.Length, 1]).expand(b, q.Length, 1).contiguous();
        return new ProseBatch(tensor(points, [b, observed, 1 + d]), tensor(stats, [b, 2 * d]), tensor(symbols, [b, symbolLength]), queries,
            null, null, null, norms);
    }
}
