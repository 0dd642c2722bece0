namespace Discovery.Neural.Prose;

/// <summary>
/// The token grammar as a state machine for constrained decoding: after each token it knows which tokens can follow so the
/// sequence still completes to exactly <c>d</c> components in prefix notation (an operator or a leaf where an expression is
/// due, a mantissa after a sign, an exponent after a mantissa, '|' or the end marker after a complete component). Masking
/// the others at each decoding step makes every finished sequence decode.
/// </summary>
public sealed class ProseGrammar
{
    private static readonly Lazy<Categories> Table = new(() => new Categories());
    private readonly int _dimension;
    private int _pending = 1;
    private int _numberStage;
    private int _components = 1;

    /// <summary>A machine at the start of a sequence of <paramref name="dimension"/> components.</summary>
    public ProseGrammar(int dimension) => _dimension = dimension;

    /// <summary>True once the end marker has been accepted.</summary>
    public bool Finished { get; private set; }

    /// <summary>Whether token <paramref name="id"/> may come next.</summary>
    public bool Allows(int id)
    {
        var c = Table.Value;
        if (Finished) return id == 0;
        if (_numberStage == 1) return c.Mantissas.Contains(id);
        if (_numberStage == 2) return c.Exponents.Contains(id);
        if (_pending == 0) return _components < _dimension ? id == c.Separator : id == c.End;
        if (c.Binary.Contains(id) || c.Unary.Contains(id) || c.Signs.Contains(id) || c.Constants.Contains(id)) return true;
        return c.Variables.IndexOf(id) is >= 0 and var v && v < _dimension;
    }

    /// <summary>Accepts token <paramref name="id"/> (which must be allowed).</summary>
    public void Advance(int id)
    {
        var c = Table.Value;
        if (Finished) return;
        if (_numberStage == 1) { _numberStage = 2; return; }
        if (_numberStage == 2) { _numberStage = 0; _pending--; return; }
        if (id == c.End) { Finished = true; return; }
        if (id == c.Separator) { _components++; _pending = 1; return; }
        if (c.Signs.Contains(id)) { _numberStage = 1; return; }
        if (c.Binary.Contains(id)) { _pending++; return; }
        if (c.Unary.Contains(id)) return;
        _pending--;
    }

    /// <summary>A copy in the same state (for beam search).</summary>
    public ProseGrammar Clone() => (ProseGrammar)MemberwiseClone();

    /// <summary>The allowed token ids, as a 0/1 mask over the vocabulary.</summary>
    public float[] Mask()
    {
        var mask = new float[ProseTokenizer.VocabularySize];
        for (var id = 0; id < mask.Length; id++) mask[id] = Allows(id) ? 1 : 0;
        return mask;
    }

    private sealed class Categories
    {
        public readonly HashSet<int> Binary = Ids("add", "mul", "pow");
        public readonly HashSet<int> Unary = Ids("pow2", "pow3", "pow4", "pow5", "inv", "sqrt", "sin", "cos", "exp", "log", "tanh", "abs");
        public readonly HashSet<int> Signs = Ids("+", "-");
        public readonly HashSet<int> Constants = Ids("pi", "e");
        public readonly List<int> Variables = Enumerable.Range(0, ProseTokenizer.MaxVariables).Select(i => ProseTokenizer.Id(ProseTokenizer.VariableName(i))).ToList();
        public readonly HashSet<int> Mantissas = ProseTokenizer.Vocabulary.Select((t, i) => (t, i)).Where(p => p.t.Length == 4 && p.t[0] == 'N').Select(p => p.i).ToHashSet();
        public readonly HashSet<int> Exponents = ProseTokenizer.Vocabulary.Select((t, i) => (t, i)).Where(p => p.t.Length >= 2 && p.t[0] == 'E' && p.t != "e").Select(p => p.i).ToHashSet();
        public readonly int Separator = ProseTokenizer.Id(ProseTokenizer.Separator);
        public readonly int End = ProseTokenizer.Id(ProseTokenizer.End);

        private static HashSet<int> Ids(params string[] tokens) => tokens.Select(ProseTokenizer.Id).ToHashSet();
    }
}
