using System.Text;
using System.Text.RegularExpressions;
using Discovery.Results;

namespace Discovery.Reports;

/// <summary>A planned figure with the file name it gets beside the Markdown report.</summary>
public sealed record ReportFigure(ReportPlot Plot, PlotSection Section, string FileName);

/// <summary>What both the HTML and the Markdown report show, computed once from a result.</summary>
public sealed partial class ReportContent
{
    private ReportContent(DiscoveryResult result)
    {
        result = Normalised(result);
        Result = result;
        Equations = result.Equations.Select(e => EquationDisplay.Of(e)).ToArray();
        Figures = ReportPlots.For(result)
            .Select((p, i) => new ReportFigure(p.Plot, p.Section, FileNameOf(i, p.Plot)))
            .ToArray();
        HowSure = ReportNotes.HowSure(result);
        Facts = FactsOf(result);
    }

    /// <summary>The content of the report of <paramref name="result"/>.</summary>
    public static ReportContent Of(DiscoveryResult result) => new(result);

    public DiscoveryResult Result { get; }

    /// <summary>The equations as they are displayed.</summary>
    public IReadOnlyList<EquationDisplay> Equations { get; }

    /// <summary>The figures in reading order, with their SVG file names.</summary>
    public IReadOnlyList<ReportFigure> Figures { get; }

    /// <summary>The sentences of the "how sure are we" section (the <see cref="ReportNotes.Caveat"/> comes after them).</summary>
    public IReadOnlyList<string> HowSure { get; }

    /// <summary>The run at a glance: method, tool version, date, seed, input file, checksum, data shape, status.</summary>
    public IReadOnlyList<(string Label, string Value)> Facts { get; }

    /// <summary>The version of the tool writing the report (may differ from the one that wrote the result).</summary>
    public static string WriterVersion { get; } = typeof(ReportContent).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The report's main heading, e.g. "Equations for x', y', z' (SINDy)".</summary>
    public string Heading
    {
        get
        {
            var targets = Result.Equations.Select(e => e.Target).ToList();
            var what = targets.Count switch
            {
                0 => "No equation found",
                1 => $"Equation for {targets[0]}",
                <= 6 => $"Equations for {string.Join(", ", targets)}",
                _ => $"{targets.Count} equations",
            };
            return $"{what} ({MethodName(Result.Method)})";
        }
    }

    /// <summary>The display name of a method key ("sr" is "symbolic regression", "sindy" "SINDy").</summary>
    public static string MethodName(string method) => method.ToLowerInvariant() switch
    {
        "sr" => "symbolic regression",
        "sindy" => "SINDy",
        "ensemble-sindy" or "esindy" => "ensemble SINDy",
        "weak-sindy" => "weak SINDy",
        "pinn" => "PINN",
        "plrnn" => "PLRNN",
        "al-rnn" or "alrnn" => "AL-RNN",
        "prose" => "PROSE",
        _ => method,
    };

    /// <summary>The terms of the ensemble that have statistics, by equation.</summary>
    public IEnumerable<EquationResult> EquationsWithTerms => Result.Equations.Where(e => e.Terms is { Count: > 0 });

    /// <summary>The Pareto points grouped by target, each group by increasing complexity.</summary>
    public IEnumerable<IGrouping<string, ParetoPoint>> ParetoByTarget =>
        Result.Pareto.OrderBy(p => p.Complexity).GroupBy(p => p.Target ?? "");

    /// <summary>
    /// The result with the nulls a hand-edited or foreign result.json can hold (JSON null for a list, a text or a
    /// series) replaced by empty values, and series without x values dropped, so that rendering never fails on them.
    /// </summary>
    public static DiscoveryResult Normalised(DiscoveryResult result) => result with
    {
        Method = result.Method ?? "",
        ToolVersion = result.ToolVersion ?? "",
        Equations = (result.Equations ?? []).OfType<EquationResult>().Select(e => e with
        {
            Target = e.Target ?? "",
            Expression = e.Expression ?? "",
            Latex = e.Latex ?? "",
            MathML = e.MathML ?? "",
            Sympy = e.Sympy ?? "",
            CSharp = e.CSharp ?? "",
            Terms = e.Terms?.OfType<TermResult>().Select(t => t with { Term = t.Term ?? "" }).ToArray(),
        }).ToArray(),
        Pareto = (result.Pareto ?? []).OfType<ParetoPoint>().Select(p => p with { Expression = p.Expression ?? "", Latex = p.Latex ?? "" }).ToArray(),
        Metrics = result.Metrics ?? new Dictionary<string, double>(),
        Options = (result.Options ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => kv.Value ?? ""),
        Series = (result.Series ?? []).OfType<SeriesResult>().Where(s => s.X is not null).Select(s => s with
        {
            Title = s.Title ?? "",
            Kind = s.Kind ?? "time",
            XLabel = s.XLabel ?? "",
            YLabel = s.YLabel ?? "",
            Y = (s.Y ?? new Dictionary<string, double[]>()).Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value),
        }).ToArray(),
        Notes = (result.Notes ?? []).OfType<string>().ToArray(),
        Input = result.Input is { } input
            ? input with { Path = input.Path ?? "", Sha256 = input.Sha256 ?? "", Columns = input.Columns?.OfType<string>().ToArray() ?? [] }
            : null,
    };

    private static IReadOnlyList<(string, string)> FactsOf(DiscoveryResult result)
    {
        var facts = new List<(string, string)>
        {
            ("Method", $"{MethodName(result.Method)}{(MethodName(result.Method) == result.Method ? "" : $" ({result.Method})")}"),
            ("Created", ReportFormat.Date(result.Created)),
            ("Tool version", $"Discovery {result.ToolVersion}"),
            ("Seed", result.Seed is { } seed ? seed.ToString(System.Globalization.CultureInfo.InvariantCulture) : "not recorded"),
        };
        if (result.Input is { } input)
        {
            facts.Add(("Input file", input.Path));
            facts.Add(("SHA-256", input.Sha256));
            var columns = input.Columns is { Count: > 0 } ? $"; columns {string.Join(", ", input.Columns)}" : "";
            facts.Add(("Data", $"{input.Rows} rows{columns}"));
        }
        else
        {
            facts.Add(("Input", "built-in problem (no input file)"));
        }
        if (result.Interrupted) facts.Add(("Status", "stopped early; kept the best found so far"));
        return facts;
    }

    private static string FileNameOf(int index, ReportPlot plot)
    {
        var slug = Slug(plot.Title);
        return $"plot-{index + 1:00}-{plot.Kind}{(slug.Length > 0 ? "-" + slug : "")}.svg";
    }

    /// <summary>Lower-case ASCII letters, digits and single dashes, at most 40 characters.</summary>
    private static string Slug(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
            sb.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        var slug = Dashes().Replace(sb.ToString(), "-").Trim('-');
        return slug.Length <= 40 ? slug : slug[..40].TrimEnd('-');
    }

    [GeneratedRegex("-{2,}")]
    private static partial Regex Dashes();

    /// <summary>Whether a file name is one this report writer gives figures (<c>plot-NN-kind[-title].svg</c>).</summary>
    public static bool IsFigureFileName(string fileName) => FigureFile().IsMatch(fileName);

    [GeneratedRegex(@"^plot-\d{2,}-[a-z]+(-[a-z0-9-]+)?\.svg$")]
    private static partial Regex FigureFile();
}
