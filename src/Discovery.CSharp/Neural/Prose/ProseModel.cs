using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Discovery.Neural.Prose;

/// <summary>Sizes of a PROSE network.</summary>
/// <param name="Width">Model width (embedding size) of every part.</param>
/// <param name="Heads">Attention heads (must divide the width).</param>
/// <param name="FeedForward">Hidden size of the feed-forward sublayers.</param>
/// <param name="DataEncoderLayers">Self-attention layers over the observed trajectory.</param>
/// <param name="SymbolEncoderLayers">Self-attention layers over the symbol input.</param>
/// <param name="FusionLayers">Self-attention layers over both, with modality embeddings.</param>
/// <param name="DataDecoderLayers">Layers of the operator decoder (queries: output times; cross-attention to the fusion).</param>
/// <param name="SymbolDecoderLayers">Layers of the autoregressive symbol decoder.</param>
/// <param name="Dimension">State variables of the systems handled.</param>
/// <param name="MaxSymbolTokens">Longest symbol sequence (input or output, markers included).</param>
/// <param name="PatchSize">Consecutive observed points embedded together as one data token (1: one token per point).</param>
public sealed record ProseModelOptions(
    int Width = 64,
    int Heads = 4,
    int FeedForward = 256,
    int DataEncoderLayers = 1,
    int SymbolEncoderLayers = 1,
    int FusionLayers = 2,
    int DataDecoderLayers = 1,
    int SymbolDecoderLayers = 2,
    int Dimension = 3,
    int MaxSymbolTokens = 224,
    int PatchSize = 4)
{
    /// <summary>The CPU-sized default: width 64, 4 heads, 1/1/2/1/2 layers, patches of 4 points (about 0.5 M parameters).</summary>
    public static ProseModelOptions Small { get; } = new();

    /// <summary>The paper's size: width 512, 8 heads, encoders 2 (data) / 4 (symbols), fusion 8, decoders 8 / 8.</summary>
    public static ProseModelOptions Paper { get; } = new(512, 8, 2048, 2, 4, 8, 8, 8, PatchSize: 1);

    /// <summary>A tiny size for tests.</summary>
    public static ProseModelOptions Tiny { get; } = new(16, 2, 32, 1, 1, 1, 1, 1, MaxSymbolTokens: 224, PatchSize: 4);

    /// <summary>Small or paper by name; ArgumentException otherwise.</summary>
    public static ProseModelOptions BySize(string size) => size.Trim().ToLowerInvariant() switch
    {
        "small" => Small,
        "paper" => Paper,
        "tiny" => Tiny,
        _ => throw new ArgumentException($"unknown size '{size}' (small, paper or tiny)"),
    };

    /// <summary>Throws ArgumentException for impossible sizes.</summary>
    public void Validate()
    {
        if (Width < 2 || Heads < 1 || Width % Heads != 0) throw new ArgumentException($"the width ({Width}) must be a multiple of the heads ({Heads})");
        if (FeedForward < 1 || DataEncoderLayers < 0 || SymbolEncoderLayers < 0 || FusionLayers < 0 || DataDecoderLayers < 1 || SymbolDecoderLayers < 1)
            throw new ArgumentException("layer counts must be non-negative (decoders at least 1)");
        if (Dimension < 1 || Dimension > ProseTokenizer.MaxVariables) throw new ArgumentException($"the dimension must be 1..{ProseTokenizer.MaxVariables}");
        if (MaxSymbolTokens < 8) throw new ArgumentException("at least 8 symbol tokens are needed");
        if (PatchSize < 1) throw new ArgumentException("the patch size must be at least 1");
    }
}

/// <summary>Multi-head scaled dot-product attention with an additive mask (0 to keep, a large negative to drop).</summary>
internal sealed class Attention : nn.Module
{
    private readonly Linear _query, _key, _value, _out;
    private readonly int _heads;

    public Attention(int width, int heads) : base("attention")
    {
        _heads = heads;
        _query = nn.Linear(width, width, dtype: ProseModel.Precision);
        _key = nn.Linear(width, width, dtype: ProseModel.Precision);
        _value = nn.Linear(width, width, dtype: ProseModel.Precision);
        _out = nn.Linear(width, width, dtype: ProseModel.Precision);
        RegisterComponents();
    }

    /// <summary>[B, Sq, W] attending to [B, Sk, W]; mask broadcastable to [B, heads, Sq, Sk].</summary>
    public Tensor Forward(Tensor x, Tensor memory, Tensor? mask)
    {
        var (b, sq, w) = (x.shape[0], x.shape[1], x.shape[2]);
        var sk = memory.shape[1];
        var dh = w / _heads;
        var q = _query.forward(x).view(b, sq, _heads, dh).transpose(1, 2);
        var k = _key.forward(memory).view(b, sk, _heads, dh).transpose(1, 2);
        var v = _value.forward(memory).view(b, sk, _heads, dh).transpose(1, 2);
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(dh);
        if (mask is not null) scores = scores + mask;
        var attended = scores.softmax(-1).matmul(v).transpose(1, 2).reshape(b, sq, w);
        return _out.forward(attended);
    }
}

/// <summary>A pre-norm transformer layer: self-attention, optional cross-attention to a memory, feed-forward.</summary>
internal sealed class Block : nn.Module
{
    private readonly LayerNorm _norm1;
    private readonly Attention _self;
    private readonly LayerNorm? _norm2;
    private readonly Attention? _cross;
    private readonly LayerNorm _norm3;
    private readonly Linear _hidden, _output;

    public Block(int width, int heads, int feedForward, bool cross) : base("block")
    {
        _norm1 = nn.LayerNorm(width, dtype: ProseModel.Precision);
        _self = new Attention(width, heads);
        if (cross)
        {
            _norm2 = nn.LayerNorm(width, dtype: ProseModel.Precision);
            _cross = new Attention(width, heads);
        }
        _norm3 = nn.LayerNorm(width, dtype: ProseModel.Precision);
        _hidden = nn.Linear(width, feedForward, dtype: ProseModel.Precision);
        _output = nn.Linear(feedForward, width, dtype: ProseModel.Precision);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor? selfMask, Tensor? memory = null, Tensor? memoryMask = null)
    {
        var h = _norm1.forward(x);
        x = x + _self.Forward(h, h, selfMask);
        if (_cross is not null && memory is not null)
            x = x + _cross.Forward(_norm2!.forward(x), memory, memoryMask);
        return x + _output.forward(nn.functional.gelu(_hidden.forward(_norm3.forward(x))));
    }
}

/// <summary>The encoded inputs: the fused sequence and its additive key mask [B, 1, 1, S].</summary>
public sealed record ProseMemory(Tensor Memory, Tensor Mask);

/// <summary>
/// The PROSE network (Liu, Sun, Schaeffer et al. 2023, at a configurable size): a data embedder (MLP of (t, u) per
/// observed point, plus one token of the window's mean and scale), a data encoder, a symbol encoder (token plus position
/// embeddings), a fusion transformer over both sequences with modality embeddings, an operator data decoder whose queries
/// are the output times, and an autoregressive symbol decoder. Float32; shapes batch-first.
/// </summary>
public sealed class ProseModel : nn.Module
{
    /// <summary>The element type of every weight and activation.</summary>
    public const ScalarType Precision = ScalarType.Float32;

    private readonly Sequential _dataEmbed;
    private readonly Linear _statsEmbed;
    private readonly ModuleList<Block> _dataEncoder;
    private readonly Embedding _symbolEmbed;
    private readonly Embedding _symbolPosition;
    private readonly ModuleList<Block> _symbolEncoder;
    private readonly Embedding _modality;
    private readonly ModuleList<Block> _fusion;
    private readonly Sequential _queryEmbed;
    private readonly ModuleList<Block> _dataDecoder;
    private readonly LayerNorm _dataNorm;
    private readonly Linear _dataHead;
    private readonly Embedding _outputPosition;
    private readonly ModuleList<Block> _symbolDecoder;
    private readonly LayerNorm _symbolNorm;
    private readonly Linear _symbolHead;

    /// <summary>
    /// Builds a network whose starting weights are drawn from a generator seeded with <paramref name="seed"/> (the same
    /// seed gives the same network on any thread); throws ArgumentException for bad options.
    /// </summary>
    public ProseModel(ProseModelOptions options, long seed = 0) : base("prose")
    {
        TorchRuntime.EnsureLoaded();
        options.Validate();
        Options = options;
        var (w, d, v) = (options.Width, options.Dimension, ProseTokenizer.VocabularySize);
        ModuleList<Block> Stack(int count, bool cross) =>
            nn.ModuleList(Enumerable.Range(0, count).Select(_ => new Block(w, options.Heads, options.FeedForward, cross)).ToArray());
        _dataEmbed = nn.Sequential(nn.Linear(options.PatchSize * (1 + d), w, dtype: Precision), nn.GELU(),
            nn.Linear(w, w, dtype: Precision));
        _statsEmbed = nn.Linear(2 * d, w, dtype: Precision);
        _dataEncoder = Stack(options.DataEncoderLayers, false);
        _symbolEmbed = nn.Embedding(v, w, dtype: Precision);
        _symbolPosition = nn.Embedding(options.MaxSymbolTokens, w, dtype: Precision);
        _symbolEncoder = Stack(options.SymbolEncoderLayers, false);
        _modality = nn.Embedding(2, w, dtype: Precision);
        _fusion = Stack(options.FusionLayers, false);
        _queryEmbed = nn.Sequential(nn.Linear(1, w, dtype: Precision), nn.GELU(), nn.Linear(w, w, dtype: Precision));
        _dataDecoder = Stack(options.DataDecoderLayers, true);
        _dataNorm = nn.LayerNorm(w, dtype: Precision);
        _dataHead = nn.Linear(w, d, dtype: Precision);
        _outputPosition = nn.Embedding(options.MaxSymbolTokens, w, dtype: Precision);
        _symbolDecoder = Stack(options.SymbolDecoderLayers, true);
        _symbolNorm = nn.LayerNorm(w, dtype: Precision);
        _symbolHead = nn.Linear(w, v, dtype: Precision);
        RegisterComponents();
        using var generator = SeededInitialisation.NewGenerator(seed);
        SeededInitialisation.Reset(this, generator);
    }

    /// <summary>The sizes.</summary>
    public ProseModelOptions Options { get; }

    /// <summary>Number of trainable parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Encodes a batch: <paramref name="points"/> [B, N, 1 + d] (normalised time and states), <paramref name="stats"/>
    /// [B, 2d] (window mean / 10 and log10 scale), <paramref name="symbols"/> [B, L] token ids (0 = padding). N must be a
    /// multiple of the patch size.
    /// </summary>
    public ProseMemory Encode(Tensor points, Tensor stats, Tensor symbols)
    {
        var batch = points.shape[0];
        var patch = Options.PatchSize;
        if (points.shape[1] % patch != 0)
            throw new ArgumentException($"{points.shape[1]} observed points do not split into patches of {patch}");
        var patches = points.reshape(batch, points.shape[1] / patch, patch * points.shape[2]);
        var data = cat([_statsEmbed.forward(stats).unsqueeze(1), _dataEmbed.forward(patches)], 1);
        foreach (var block in _dataEncoder) data = block.Forward(data, null);

        var length = symbols.shape[1];
        var padding = symbols.eq(0);
        var symbolMask = KeyMask(padding);
        var positions = arange(length, dtype: ScalarType.Int64).unsqueeze(0);
        var symbol = _symbolEmbed.forward(symbols) + _symbolPosition.forward(positions);
        foreach (var block in _symbolEncoder) symbol = block.Forward(symbol, symbolMask);

        var dataModality = _modality.forward(zeros(1, 1, dtype: ScalarType.Int64));
        var symbolModality = _modality.forward(ones(1, 1, dtype: ScalarType.Int64));
        var fused = cat([data + dataModality, symbol + symbolModality], 1);
        var mask = KeyMask(cat([zeros(batch, data.shape[1], dtype: ScalarType.Bool), padding], 1));
        foreach (var block in _fusion) fused = block.Forward(fused, mask);
        return new ProseMemory(fused, mask);
    }

    /// <summary>The normalised states [B, Q, d] at normalised query times [B, Q, 1].</summary>
    public Tensor DecodeData(ProseMemory memory, Tensor queryTimes)
    {
        var x = _queryEmbed.forward(queryTimes);
        foreach (var block in _dataDecoder) x = block.Forward(x, null, memory.Memory, memory.Mask);
        return _dataHead.forward(_dataNorm.forward(x));
    }

    /// <summary>Next-token logits [B, L, V] for every prefix of <paramref name="prefix"/> [B, L] (causal; 0 = padding).</summary>
    public Tensor DecodeSymbols(ProseMemory memory, Tensor prefix)
    {
        var length = prefix.shape[1];
        var positions = arange(length, dtype: ScalarType.Int64).unsqueeze(0);
        var x = _symbolEmbed.forward(prefix) + _outputPosition.forward(positions);
        var causal = ones(length, length, dtype: Precision).triu(1).mul(-1e9f).view(1, 1, length, length);
        var mask = causal + KeyMask(prefix.eq(0));
        foreach (var block in _symbolDecoder) x = block.Forward(x, mask, memory.Memory, memory.Mask);
        return _symbolHead.forward(_symbolNorm.forward(x));
    }

    private static Tensor KeyMask(Tensor padding) =>
        padding.to_type(Precision).mul(-1e9f).view(padding.shape[0], 1, 1, padding.shape[1]);
}
