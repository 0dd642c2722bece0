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

    /// <summary>
    /// When true (the default), decoding is constrained by <see cref="ProseGrammar"/> so every finished sequence parses into
    /// as many components as states; false decodes freely (to measure how often the network alone writes valid expressions).
    /// </summary>
    public bool Constrained { get; init; } = true;

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
        var candidates = beam == 1
            ? Greedy(memory, windows.Count).Select(s => (IReadOnlyList<int[]>)[s]).ToList()
            : Enumerable.Range(0, windows.Count).Select(n => Beam(memory, n, beam)).ToList();

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
            var (sequence, decoding, refitted, r2) = Select(candidates[n], times, states);
            var tokens = sequence.Select(id => ProseTokenizer.Vocabulary[id]).ToArray();
            var queryTimes = offsets.Select(o => times[0] + o).ToArray();
            double[,]? refitContinuation = null;
            if (refitted is not null)
            {
                var last = Enumerable.Range(0, d).Select(i => states[states.GetLength(0) - 1, i]).ToArray();
                refitContinuation = ProseRefit.Simulate(refitted, times[^1], last, queryTimes);
            }
            results.Add(new ProsePrediction(tokens, decoding, refitted, r2, queryTimes, continuation, refitContinuation));
        }
        return results;
    }

    private int MaxLength => Info.Model.MaxSymbolTokens - 1;

    /// <summary>Penalty per term when choosing among beam candidates by their refit.</summary>
    public const double TermPenalty = 2e-3;

    /// <summary>
    /// Among the decoded candidates (best first), the one to report: each candidate that decodes into as many components
    /// as states is refitted to the window and scored by Σ (1 − R²) over components plus <see cref="TermPenalty"/> per
    /// term; the lowest score wins (ties: the decoder's order). With no such candidate, the decoder's best.
    /// </summary>
    private (int[] Sequence, ProseDecoding Decoding, IReadOnlyList<Expr>? Refitted, double[] R2) Select(IReadOnlyList<int[]> candidates,
        double[] times, double[,] states)
    {
        var d = states.GetLength(1);
        (int[] Sequence, ProseDecoding Decoding, IReadOnlyList<Expr>? Refitted, double[] R2)? best = null;
        var bestScore = double.PositiveInfinity;
        foreach (var ids in candidates)
        {
            var decoding = ProseTokenizer.DecodeIds(ids);
            if (!decoding.IsValid || decoding.Components.Count != d) continue;
            var refitted = ProseRefit.Refit(decoding.Components, times, states, out var r2);
            var score = r2.Sum(v => double.IsFinite(v) ? 1 - Math.Max(v, 0) : 1) + TermPenalty * refitted.Sum(c => ProseTerms.Terms(c).Count);
            if (best is null || score < bestScore)
            {
                best = (ids, decoding, refitted, r2);
                bestScore = score;
            }
        }
        return best ?? (candidates[0], ProseTokenizer.DecodeIds(candidates[0]), null, []);
    }

    private static Tensor GrammarMask(IReadOnlyList<ProseGrammar> grammars)
    {
        var v = ProseTokenizer.VocabularySize;
        var mask = new float[grammars.Count * v];
        for (var n = 0; n < grammars.Count; n++)
        {
            var allowed = grammars[n].Mask();
            for (var id = 0; id < v; id++) mask[n * v + id] = allowed[id] > 0 ? 0 : -1e9f;
        }
        return tensor(mask, [grammars.Count, v]);
    }

    private List<int[]> Greedy(ProseMemory memory, int count)
    {
        var begin = ProseTokenizer.Id(ProseTokenizer.Begin);
        var end = ProseTokenizer.Id(ProseTokenizer.End);
        var sequences = Enumerable.Range(0, count).Select(_ => new List<int> { begin }).ToList();
        var done = new bool[count];
        var grammars = Enumerable.Range(0, count).Select(_ => new ProseGrammar(Info.Model.Dimension)).ToArray();
        for (var step = 0; step < MaxLength && done.Any(x => !x); step++)
        {
            using var scope = NewDisposeScope();
            var prefix = tensor(sequences.SelectMany(s => s.Select(v => (long)v)).ToArray(), [count, sequences[0].Count]);
            var logits = Model.DecodeSymbols(memory, prefix).select(1, -1);
            if (Constrained) logits = logits + GrammarMask(grammars);
            var next = logits.argmax(-1).data<long>().ToArray();
            for (var n = 0; n < count; n++)
            {
                var id = done[n] ? 0 : (int)next[n];
                sequences[n].Add(id);
                grammars[n].Advance(id);
                if (id == end) done[n] = true;
            }
        }
        return sequences.Select(s => s.Skip(1).TakeWhile(id => id != end && id != 0).ToArray()).ToList();
    }

    /// <summary>Beam search for window <paramref name="index"/>: keeps the best <paramref name="width"/> prefixes by log-probability
    /// and returns the finished sequences, best length-normalised score first.</summary>
    private IReadOnlyList<int[]> Beam(ProseMemory memory, int index, int width)
    {
        var begin = ProseTokenizer.Id(ProseTokenizer.Begin);
        var end = ProseTokenizer.Id(ProseTokenizer.End);
        var one = new ProseMemory(memory.Memory.narrow(0, index, 1), memory.Mask.narrow(0, index, 1));
        var beams = new List<(List<int> Ids, double Score, ProseGrammar Grammar)> { ([begin], 0, new ProseGrammar(Info.Model.Dimension)) };
        var finished = new List<(int[] Ids, double Score)>();
        for (var step = 0; step < MaxLength && beams.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            var count = beams.Count;
            var prefix = tensor(beams.SelectMany(b => b.Ids.Select(v => (long)v)).ToArray(), [count, beams[0].Ids.Count]);
            var expanded = new ProseMemory(one.Memory.expand(count, -1, -1), one.Mask.expand(count, -1, -1, -1));
            var logProbs = Model.DecodeSymbols(expanded, prefix).select(1, -1).log_softmax(-1);
            if (Constrained) logProbs = logProbs + GrammarMask(beams.Select(b => b.Grammar).ToArray());
            var (values, indices) = logProbs.topk(width, -1);
            var v = values.to_type(ScalarType.Float64).data<double>().ToArray();
            var ix = indices.data<long>().ToArray();
            var candidates = new List<(List<int> Ids, double Score, ProseGrammar Grammar)>();
            for (var b = 0; b < count; b++)
                for (var j = 0; j < width; j++)
                {
                    if (v[b * width + j] < -1e8) continue;
                    var id = (int)ix[b * width + j];
                    var grammar = beams[b].Grammar.Clone();
                    grammar.Advance(id);
                    candidates.Add((new List<int>(beams[b].Ids) { id }, beams[b].Score + v[b * width + j], grammar));
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
        return finished.OrderByDescending(f => f.Score).Select(f => f.Ids).ToList();
    }
}
