using System.Text.Json.Serialization;

namespace Discovery.Results;

/// <summary>
/// What a discovery run found, as written to <c>result.json</c> and read back by <c>discovery report</c>. The field
/// names are a contract for scripts: extend, never rename. Every learner fills the common part; method-specific
/// sections go in <see cref="Extra"/>.
/// </summary>
public sealed record DiscoveryResult
{
    /// <summary>"sr", "sindy", "discover", "pinn", "plrnn", "prose", ...</summary>
    public required string Method { get; init; }

    /// <summary>Version of the tool that wrote the result.</summary>
    public string ToolVersion { get; init; } = typeof(DiscoveryResult).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>When the result was written (UTC).</summary>
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The seed of every stochastic component of the run.</summary>
    public long? Seed { get; init; }

    /// <summary>The input data, identified by path and checksum (null for built-in problems).</summary>
    public InputInfo? Input { get; init; }

    /// <summary>The discovered equations, one per target.</summary>
    public IReadOnlyList<EquationResult> Equations { get; init; } = [];

    /// <summary>Complexity versus loss of the candidates considered (symbolic regression, threshold sweeps).</summary>
    public IReadOnlyList<ParetoPoint> Pareto { get; init; } = [];

    /// <summary>Fit metrics by name, e.g. "r2", "mse", "seconds".</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The options the run used, by name, as the user could give them again.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Series for plots: data against model over time or rows, residuals (downsampled).</summary>
    public IReadOnlyList<SeriesResult> Series { get; init; } = [];

    /// <summary>Plain-language notes on how sure we are (never a claim of exact recovery from fit alone).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Whether the run was stopped early (Ctrl+C, time limit) and kept what it had found.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Method-specific sections (e.g. ensemble statistics, symbolic codes).</summary>
    [JsonExtensionData]
    public Dictionary<string, object?>? Extra { get; init; }
}

/// <summary>Where the data came from.</summary>
public sealed record InputInfo(string Path, string Sha256, int Rows, IReadOnlyList<string> Columns);

/// <summary>One discovered equation in every printed form.</summary>
public sealed record EquationResult
{
    /// <summary>What the equation defines: an output name, or a state with a prime for a derivative ("x'").</summary>
    public required string Target { get; init; }

    /// <summary>Right-hand side in infix; parses back with the core's parser.</summary>
    public required string Expression { get; init; }

    public string Latex { get; init; } = "";
    [JsonPropertyName("mathml")]
    public string MathML { get; init; } = "";
    public string Sympy { get; init; } = "";
    [JsonPropertyName("csharp")]
    public string CSharp { get; init; } = "";
    public int Complexity { get; init; }

    /// <summary>Loss of this equation on the fitted data, where the method has one.</summary>
    public double? Loss { get; init; }

    /// <summary>Per-term statistics (ensemble SINDy: inclusion probability and coefficient interval).</summary>
    public IReadOnlyList<TermResult>? Terms { get; init; }
}

/// <summary>One term of a sparse model with how sure we are of it.</summary>
public sealed record TermResult(string Term, double Coefficient, double? InclusionProbability, double? Low, double? High);

/// <summary>One point of a complexity/loss front.</summary>
public sealed record ParetoPoint
{
    public string? Target { get; init; }
    public int Complexity { get; init; }
    public double Loss { get; init; }
    public required string Expression { get; init; }
    public string Latex { get; init; } = "";
    public double? Score { get; init; }

    /// <summary>True for the model the selection rule chose.</summary>
    public bool Chosen { get; init; }
}

/// <summary>A named series for a plot: x values and one or more y series over them.</summary>
public sealed record SeriesResult
{
    /// <summary>Plot title, e.g. "x over time".</summary>
    public required string Title { get; init; }

    /// <summary>
    /// "time" (data vs model over time; curves whose label contains "data" are drawn as dots, the others as lines),
    /// "residual", "phase" (a phase portrait: the Y series taken in pairs (horizontal, vertical), e.g. "x data",
    /// "y data", "x model", "y model"), "parity" (X observed, each Y a prediction).
    /// </summary>
    public required string Kind { get; init; }
    public string XLabel { get; init; } = "";
    public string YLabel { get; init; } = "";
    public required double[] X { get; init; }

    /// <summary>Series by legend label, each as long as <see cref="X"/>.</summary>
    public required IReadOnlyDictionary<string, double[]> Y { get; init; }
}
