using System.Text.Json;

namespace Discovery.Neural.Plrnn;

/// <summary>
/// A model's parameters and how far its training got, as a JSON file: <see cref="PlrnnTrainer"/> writes one every few
/// epochs and resumes from it. The optimizer's step count and moment estimates are stored too, so that a resumed run
/// takes the same steps as an uninterrupted one.
/// </summary>
public sealed record PlrnnCheckpoint
{
    public required string Kind { get; init; }
    public required int Observed { get; init; }
    public int Relu { get; init; }
    public bool Clipped { get; init; }
    public required double[] A { get; init; }
    public required double[] H { get; init; }
    public required double[][] B { get; init; }
    public double[][]? W { get; init; }
    public double[][]? W1 { get; init; }
    public double[][]? W2 { get; init; }
    public double[]? H2 { get; init; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; init; }

    /// <summary>The generalised-forcing alpha reached.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>Mean training loss of each completed epoch.</summary>
    public double[] Losses { get; init; } = [];

    /// <summary>Training seconds spent so far (summed over resumes).</summary>
    public double Seconds { get; init; }

    /// <summary>The optimizer's state after the last completed epoch (absent in checkpoints of older versions: RAdam then
    /// restarts its warm-up).</summary>
    public OptimizerCheckpoint? Optimizer { get; init; }

    /// <summary>The model selected so far by its D_stsp on the training data (see <see cref="TrainingOptions.SelectEvery"/>).</summary>
    public PlrnnCheckpoint? Selected { get; init; }

    /// <summary>The epoch after which <see cref="Selected"/> was taken.</summary>
    public int? SelectedEpoch { get; init; }

    /// <summary>Every selection check so far: epoch and D_stsp on the training data.</summary>
    public SelectionPoint[] Selection { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        // A diverged run has NaN or infinite losses and scores; they are written as "NaN" and "Infinity".
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The checkpoint of <paramref name="map"/> after <paramref name="epoch"/> epochs.</summary>
    public static PlrnnCheckpoint Of(PlrnnMap map, int epoch, double alpha, IReadOnlyList<double> losses, double seconds) => map switch
    {
        AlrnnMap a => new PlrnnCheckpoint
        {
            Kind = "alrnn", Observed = a.Observed, Relu = a.Relu, A = a.A, H = a.H, B = Jagged(a.B), W = Jagged(a.W),
            Epoch = epoch, Alpha = alpha, Losses = losses.ToArray(), Seconds = seconds,
        },
        VanillaPlrnnMap v => new PlrnnCheckpoint
        {
            Kind = "plrnn", Observed = v.Observed, A = v.A, H = v.H, B = Jagged(v.B), W = Jagged(v.W),
            Epoch = epoch, Alpha = alpha, Losses = losses.ToArray(), Seconds = seconds,
        },
        ShallowPlrnnMap s => new PlrnnCheckpoint
        {
            Kind = "shplrnn", Observed = s.Observed, Clipped = s.Clipped, A = s.A, H = s.H, B = Jagged(s.B), W1 = Jagged(s.W1),
            W2 = Jagged(s.W2), H2 = s.H2, Epoch = epoch, Alpha = alpha, Losses = losses.ToArray(), Seconds = seconds,
        },
        _ => throw new ArgumentException($"cannot checkpoint {map.GetType().Name}"),
    };

    /// <summary>The model stored in the checkpoint.</summary>
    public PlrnnMap ToMap() => Kind switch
    {
        "alrnn" => new AlrnnMap(A, Rect(W!), H, Relu, Observed, Rect(B)),
        "plrnn" => new VanillaPlrnnMap(A, Rect(W!), H, Observed, Rect(B)),
        "shplrnn" => new ShallowPlrnnMap(A, Rect(W1!), Rect(W2!), H, H2!, Clipped, Observed, Rect(B)),
        _ => throw new InvalidDataException($"unknown model kind '{Kind}' in checkpoint"),
    };

    /// <summary>The format name in the seal of a PLRNN checkpoint file.</summary>
    public const string Format = "discovery-plrnn-checkpoint";

    /// <summary>Writes the checkpoint sealed with its SHA-256 (to a uniquely named temporary file beside
    /// <paramref name="path"/> first, then renamed into place).</summary>
    public void Save(string path) =>
        Symbolic.Search.SealedFile.writeAtomically(path, Symbolic.Search.SealedFile.seal(Format, JsonSerializer.Serialize(this, Json)));

    /// <summary>Reads a checkpoint, checking its checksum and its content; throws InvalidDataException naming the file
    /// when it is not an intact PLRNN checkpoint.</summary>
    public static PlrnnCheckpoint Load(string path)
    {
        var payload = Symbolic.Search.SealedFile.read(Format, Microsoft.FSharp.Core.FuncConvert.FromFunc<JsonElement, bool>(IsLegacy), path);
        if (payload.IsError) throw new InvalidDataException(payload.ErrorValue);
        PlrnnCheckpoint checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<PlrnnCheckpoint>(payload.ResultValue, Json)
                         ?? throw new InvalidDataException($"{path}: empty checkpoint");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: damaged PLRNN checkpoint ({e.Message})");
        }
        if (checkpoint.Problem() is { } problem) throw new InvalidDataException($"{path}: damaged PLRNN checkpoint: {problem}");
        return checkpoint;
    }

    /// <summary>Whether <paramref name="path"/> holds an intact PLRNN checkpoint (one this tool wrote).</summary>
    public static bool IsCheckpoint(string path)
    {
        try
        {
            Load(path);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    // Checkpoints of versions before the seal are bare objects with these fields.
    private static bool IsLegacy(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("kind", out _) && root.TryGetProperty("a", out _);

    /// <summary>Why the content cannot be a model and training state this tool wrote, or null. JSON can say null or
    /// -1e308 anywhere; nothing past this check has to expect it.</summary>
    private string? Problem()
    {
        if (Kind is not ("alrnn" or "plrnn" or "shplrnn")) return $"unknown model kind '{Kind}'";
        double[][]?[] matrices = Kind == "shplrnn" ? [B, W1, W2] : [B, W];
        if (A is null || H is null || (Kind == "shplrnn" && H2 is null) || matrices.Any(m => m is null || m.Any(r => r is null)))
            return "a parameter array is missing";
        if (A.Length < 1 || Observed < 1 || Observed > A.Length) return $"the observed count {Observed} is not between 1 and M = {A.Length}";
        if (Epoch < 0 || Losses is null || Selection is null || Selection.Any(p => p is null)) return "the training state is missing or negative";
        if (!double.IsFinite(Seconds) || Seconds < 0) return $"the training time {Seconds} is not finite and non-negative";
        if (!(Alpha >= 0 && Alpha <= 1)) return $"alpha {Alpha} is not between 0 and 1";
        try
        {
            ToMap(); // the model's own constructor checks every shape
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            return e.Message;
        }
        return Selected?.Problem() is { } selected ? $"the selected model: {selected}" : null;
    }

    internal static double[][] Jagged(double[,] m) =>
        Enumerable.Range(0, m.GetLength(0)).Select(r => Enumerable.Range(0, m.GetLength(1)).Select(c => m[r, c]).ToArray()).ToArray();

    internal static double[,] Rect(double[][] rows)
    {
        var cols = rows.Length == 0 ? 0 : rows[0].Length;
        var m = new double[rows.Length, cols];
        for (var r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != cols) throw new InvalidDataException("ragged matrix in checkpoint");
            for (var c = 0; c < cols; c++) m[r, c] = rows[r][c];
        }
        return m;
    }
}

/// <summary>
/// The state of RAdam in a checkpoint: the native backend's step count and first and second moment estimates (one array
/// per parameter array: A, W, h, B), or the TorchSharp optimizer's own serialised state (base64).
/// </summary>
public sealed record OptimizerCheckpoint
{
    /// <summary>Updates done (native backend).</summary>
    public int Step { get; init; }

    /// <summary>First moment estimates (native backend).</summary>
    public double[][]? First { get; init; }

    /// <summary>Second moment estimates (native backend).</summary>
    public double[][]? Second { get; init; }

    /// <summary>TorchSharp's <c>save_state_dict</c> bytes in base64 (TorchSharp backend).</summary>
    public string? Torch { get; init; }
}

/// <summary>One check of the model selection: after <paramref name="Epoch"/> epochs the free run had this D_stsp against the training data.</summary>
public sealed record SelectionPoint(int Epoch, double Score);
