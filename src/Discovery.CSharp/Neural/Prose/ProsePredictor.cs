using Symbolic;
using static TorchSharp.torch;

namespace Discovery.Neural.Prose;

/// <summary>What PROSE made of one observed window.</summary>
/// <param name="Tokens">The decoded symbol tokens (without markers).</param>
/// <param name="Decoding">The tokens read as expressions (or why they are not).</param>
/// <param name="Refitted">The decoded structure with constants refitted to the window (null when the decoding is invalid
/// or has the wrong number of components).</param>
/// <param name="RefitR2">R² of each refitted component against the window's derivatives (empty when not refitted).</param>
/// <param name="QueryTimes">The output times (absolute).</param>
/// <param name="Continuation">The data decoder's prediction at those times, [time, variable].</param>
/// <param name="RefitContinuation">The refitted equations integrated from the last observed state to those times (null when
/// there are none or they blow up).</param>
public sealed record ProsePrediction(IReadOnlyList<string> Tokens, ProseDecoding Decoding, IReadOnlyList<Expr>? Refitted, double[] RefitR2,
    double[] QueryTimes, double[,] Continuation, double[,]? RefitContinuation);

/// <summary>
/// Runs a trained PROSE model: encodes observed windows (and optional guesses of the equations), queries the data decoder
/// at the output times, decodes the equations greedily or by beam search, and refits the decoded structure's constants
/// against the window (<see cref="ProseRefit"/>). Windows must be on the training grid: <c>ObservedPoints</c> points
/// spaced <c>TimeEnd / (ObservedPoints + PredictedPoints − 1)</c> apart.
/// </summary>
public sealed class ProsePredictor(ProseModel model, ProseModelInfo info)
{
    /// <summary>The network.</summary>
    public ProseModel Model { get; } = model;

    /// <summary>What the model was trained on.</summary>
    public ProseModelInfo Info { get; } = info;

    /// <summary>Spacing of the training grid.</summary>
    public double TimeStep => Info.TimeEnd / (Info.ObservedPoints + Info.PredictedPoints - 1);

    /// <summary>Loads the model folder; InvalidDataException when it cannot.</summary>
    public static ProsePredictor Load(string folder)
    {
        var (model, info) = ProseModelFile.Load(folder);
        return new ProsePredictor(model, info);
    }

    /// <summary>
    /// Predicts for one window (<paramref name="times"/> and <paramref name="states"/> [ObservedPoints, d]); the output
    /// times are the training grid's continuation after the window. <paramref name="guess"/> (over u_0..u_{d-1}) is the
    /// optional symbol input; <paramref name="beam"/> 1 decodes greedily.
    /// </summary>
    public ProsePrediction Predict(double[] times, double[,] states, IReadOnlyList<Expr>? guess = null, int beam = 1)
    {
        var guessIds = guess is null ? null : ProseTokenizer.EncodeIds(guess);
        return PredictBatch([(times, states, guessIds)], beam)[0];
    }

    /// <summary>Predicts for several windows at once (see <see cref="Predict"/>); guesses as token ids or null.</summary>
    public IReadOnlyList<ProsePrediction> PredictBatch(IReadOnlyList<(double[] Times, double[,] States, int[]? Guess)> windows, int beam = 1)
    {
        if (windows.Count == 0) return [];
        if (beam < 1) throw new ArgumentException("the beam width must be at least 1");
        foreach (var w in windows)
        {
            if (w.States.GetLength(0) != Info.ObservedPoints || w.Times.Length != Info.ObservedPoints)
                throw new ArgumentException($"the model reads windows of {Info.ObservedPoints} points (got {w.States.GetLength(0)})");
            if (w.States.GetLength(1) != Info.Model.Dimension)
                throw new ArgumentException($"the model handles {Info.Model.Dimension} variables (got {w.States.GetLength(1)})");
        }
        var offsets = Enumerable.Range(Info.ObservedPoints, Info.PredictedPoints).Select(k => k * TimeStep).ToArray();
        var noGuess = new[] { ProseTokenizer.Id(ProseTokenizer.NoGuess) };
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Model.eval();
        var batch = ProseBatch.Inputs(windows.Select(w => (w.Times, w.States, (IReadOnlyList<int>)(w.Guess ?? noGuess))).ToList(),
            Info.ObservedPoints, Info.TimeEnd, Info.Model.MaxSymbolTokens, offsets);
        var memory = Model.Encode(batch.Points, batch.Stats, batch.Symbols);
        var data = Model.DecodeData(memory, batch.QueryTimes).to_type(ScalarType.Float64).data<double>().ToArray();
        var sequences = beam == 1 ? Greedy(memory, windows.Count) : Enumerable.Range(0, windows.Count).Select(n => Beam(memory, n, beam)).ToList();

        var d = Info.Model.Dimension;
        var q = offsets.Length;
        var results = new List<ProsePrediction>();
        for (var n = 0; n < windows.Count; n++)
        {
            var (times, states, _) = windows[n];
            var norm = batch.Normalisations[n];
            var continuation = new double[q, d];
            for (var k = 0; k < q; k++)
                for (var i = 0; i < d; i++) continuation[k, i] = norm.Mean[i] + norm.Scale[i] * data[(n * q + k) * d + i];
            var tokens = sequences[n].Select(id => ProseTokenizer.Vocabulary[id]).ToArray();
            var decoding = ProseTokenizer.DecodeIds(sequences[n]);
            var queryTimes = offsets.Select(o => times[0] + o).ToArray();
            IReadOnlyList<Expr>? refitted = null;
            double[] r2 = [];
            double[,]? refitContinuation = null;
            if (decoding.IsValid && decoding.Components.Count == d)
            {
                refitted = ProseRefit.Refit(decoding.Components, times, states, out r2);
                var last = Enumerable.Range(0, d).Select(i => states[states.GetLength(0) - 1, i]).ToArray();
                refitContinuation = ProseRefit.Simulate(refitted, times[^1], last, queryTimes);
            }
            results.Add(new ProsePrediction(tokens, decoding, refitted, r2, queryTimes, continuation, refitContinuation));
        }
        return results;
    }

    private int MaxLength => Info.Model.MaxSymbolTokens - 1;

    private List<int[]> Greedy(ProseMemory memory, int count)
    {
        var begin = ProseTokenizer.Id(ProseTokenizer.Begin);
        var end = ProseTokenizer.Id(ProseTokenizer.End);
        var sequences = Enumerable.Range(0, count).Select(_ => new List<int> { begin }).ToList();
        var done = new bool[count];
        for (var step = 0; step < MaxLength && done.Any(x => !x); step++)
        {
            using var scope = NewDisposeScope();
            var prefix = tensor(sequences.SelectMany(s => s.Select(v => (long)v)).ToArray(), [count, sequences[0].Count]);
            var logits = Model.DecodeSymbols(memory, prefix);
            var next = logits.select(1, -1).argmax(-1).data<long>().ToArray();
            for (var n = 0; n < count; n++)
            {
                var id = done[n] ? 0 : (int)next[n];
                sequences[n].Add(id);
                if (id == end) done[n] = true;
            }
        }
        return sequences.Select(s => s.Skip(1).TakeWhile(id => id != end && id != 0).ToArray()).ToList();
    }

    /// <summary>Beam search for window <paramref name="index"/>: keeps the best <paramref name="width"/> prefixes by log-probability
    /// and returns the finished sequence with the best length-normalised score among those that decode, else the best one.</summary>
    private int[] Beam(ProseMemory memory, int index, int width)
    {
        var begin = ProseTokenizer.Id(ProseTokenizer.Begin);
        var end = ProseTokenizer.Id(ProseTokenizer.End);
        var one = new ProseMemory(memory.Memory.narrow(0, index, 1), memory.Mask.narrow(0, index, 1));
        var beams = new List<(List<int> Ids, double Score)> { ([begin], 0) };
        var finished = new List<(int[] Ids, double Score)>();
        for (var step = 0; step < MaxLength && beams.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            var count = beams.Count;
            var prefix = tensor(beams.SelectMany(b => b.Ids.Select(v => (long)v)).ToArray(), [count, beams[0].Ids.Count]);
            var expanded = new ProseMemory(one.Memory.expand(count, -1, -1), one.Mask.expand(count, -1, -1, -1));
            var logProbs = Model.DecodeSymbols(expanded, prefix).select(1, -1).log_softmax(-1);
            var (values, indices) = logProbs.topk(width, -1);
            var v = values.to_type(ScalarType.Float64).data<double>().ToArray();
            var ix = indices.data<long>().ToArray();
            var candidates = new List<(List<int> Ids, double Score)>();
            for (var b = 0; b < count; b++)
                for (var j = 0; j < width; j++)
                {
                    var ids = new List<int>(beams[b].Ids) { (int)ix[b * width + j] };
                    candidates.Add((ids, beams[b].Score + v[b * width + j]));
                }
            beams = [];
            foreach (var candidate in candidates.OrderByDescending(c => c.Score).Take(width))
            {
                if (candidate.Ids[^1] == end) finished.Add((candidate.Ids.Skip(1).SkipLast(1).ToArray(), candidate.Score / candidate.Ids.Count));
                else beams.Add(candidate);
            }
            if (finished.Count >= width) break;
        }
        finished.AddRange(beams.Select(b => (b.Ids.Skip(1).ToArray(), b.Score / b.Ids.Count)));
        var ranked = finished.OrderByDescending(f => f.Score).ToList();
        return ranked.FirstOrDefault(f => ProseTokenizer.DecodeIds(f.Ids).IsValid).Ids ?? ranked[0].Ids;
    }
}
