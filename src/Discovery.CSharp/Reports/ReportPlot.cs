using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace Discovery.Reports;

/// <summary>
/// One figure of a report, drawn by ScottPlot into SVG: the same picture goes inline into <c>report.html</c> and into a
/// file beside <c>report.md</c>. Subclasses draw one kind of plot each. Skia's SVG canvas has no path effects: a dashed
/// line would come out solid and make the native library print a warning on standard output, so figures use none.
/// </summary>
public abstract partial class ReportPlot
{
    /// <summary>Most points drawn per curve; longer series are thinned evenly (the SVG stays small).</summary>
    public const int MaxPointsPerCurve = 1500;

    /// <summary>Width of every figure: about a column of the HTML page, so that text keeps its size on screen.</summary>
    public const int DefaultWidth = 520;

    /// <summary>The fonts the SVG asks for, best first; the plot is laid out with the first one.</summary>
    private const string FontName = "DejaVu Sans";
    private const string FontFallback = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";

    /// <summary>Data are drawn in this colour so that the model's colours stand out against them.</summary>
    protected static readonly Color DataColor = Color.FromHex("#5f6b7a");

    protected ReportPlot(string title, string kind, int width = DefaultWidth, int height = 300)
    {
        Title = title;
        Kind = kind;
        Width = width;
        Height = height;
    }

    /// <summary>Title drawn above the plot and used as the caption and alt text.</summary>
    public string Title { get; }

    /// <summary>Short kind name ("time", "residual", "phase", "parity", "pareto", "inclusion") used in file names.</summary>
    public string Kind { get; }

    /// <summary>Width of the figure in pixels (the HTML scales it down to fit).</summary>
    public int Width { get; }

    /// <summary>Height of the figure in pixels.</summary>
    public int Height { get; }

    /// <summary>One sentence under the figure saying how to read it.</summary>
    public abstract string Caption { get; }

    /// <summary>Adds the plottables and labels to a fresh plot.</summary>
    protected abstract void Draw(Plot plot);

    /// <summary>A standalone SVG document of the figure (for a file beside the Markdown report).</summary>
    public string ToSvg() => "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + Render("");

    /// <summary>The figure as an <c>&lt;svg&gt;</c> element to inline in HTML; ids get <paramref name="idPrefix"/> so that
    /// several figures in one page do not share clip paths.</summary>
    public string ToInlineSvg(string idPrefix) => Render(idPrefix);

    private string? _svg;

    /// <summary>Draws the figure once; later calls reuse the SVG.</summary>
    private string Render(string idPrefix)
    {
        if (_svg is null)
        {
            using var plot = new Plot();
            plot.Font.Set(FontName);
            plot.Title(Title, size: 15);
            foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
            {
                axis.Label.FontSize = 14;
                axis.TickLabelStyle.FontSize = 12;
            }
            Draw(plot);
            _svg = plot.GetSvgXml(Width, Height);
        }
        return Tidy(_svg, idPrefix);
    }

    /// <summary>Drops the XML declaration, adds a viewBox (so CSS can scale the figure) and a font fallback list, and
    /// renames ids (and their references) to <paramref name="idPrefix"/>c1, c2, ... in order of appearance.</summary>
    private string Tidy(string svg, string idPrefix)
    {
        svg = XmlDeclaration().Replace(svg, "");
        var viewBox = string.Create(CultureInfo.InvariantCulture, $"viewBox=\"0 0 {Width} {Height}\" ");
        svg = SvgOpen().Replace(svg, match => match.Value + viewBox + "role=\"img\" ", 1);
        svg = svg.Replace($"font-family=\"{FontName}\"", $"font-family=\"{FontFallback}\"", StringComparison.Ordinal);
        // Skia numbers clip paths from a process-wide counter; renumbering them keeps the output reproducible.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Renamed(string id) => ids.TryGetValue(id, out var name) ? name : id;
        svg = IdAttribute().Replace(svg, m =>
        {
            var name = ids[m.Groups[1].Value] = string.Create(CultureInfo.InvariantCulture, $"{idPrefix}c{ids.Count + 1}");
            return $"id=\"{name}\"";
        });
        svg = UrlReference().Replace(svg, m => $"url(#{Renamed(m.Groups[1].Value)})");
        svg = HrefReference().Replace(svg, m => $"{m.Groups[1].Value}=\"#{Renamed(m.Groups[2].Value)}\"");
        return svg.Trim();
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"<svg\s")]
    private static partial Regex SvgOpen();

    [GeneratedRegex("\\bid=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex("\\b((?:xlink:)?href)=\"#([^\"]+)\"")]
    private static partial Regex HrefReference();

    // ----- Helpers for subclasses ---------------------------------------------------------------------------------------

    /// <summary>The indices of points where x and y are both finite, thinned evenly to at most <see cref="MaxPointsPerCurve"/>.</summary>
    protected static (double[] X, double[] Y) FinitePoints(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var n = Math.Min(x.Count, y.Count);
        var keep = new List<int>(n);
        for (var i = 0; i < n; i++)
            if (double.IsFinite(x[i]) && double.IsFinite(y[i])) keep.Add(i);
        var step = Math.Max(1, (int)Math.Ceiling(keep.Count / (double)MaxPointsPerCurve));
        var xs = new List<double>();
        var ys = new List<double>();
        for (var k = 0; k < keep.Count; k += step)
        {
            xs.Add(x[keep[k]]);
            ys.Add(y[keep[k]]);
        }
        return (xs.ToArray(), ys.ToArray());
    }

    /// <summary>Whether a legend label names measured data rather than a model ("data", "observed", "measured", "noisy").</summary>
    internal static bool IsDataLabel(string label) =>
        label.Contains("data", StringComparison.OrdinalIgnoreCase)
        || label.Contains("observ", StringComparison.OrdinalIgnoreCase)
        || label.Contains("measur", StringComparison.OrdinalIgnoreCase)
        || label.Contains("noisy", StringComparison.OrdinalIgnoreCase);

    /// <summary>Draws a curve: data as small translucent dots, anything else as a solid line in the next palette colour.</summary>
    protected static void AddCurve(Plot plot, double[] x, double[] y, string label, bool asData, ref int colorIndex)
    {
        if (x.Length == 0) return;
        if (asData)
        {
            var points = plot.Add.ScatterPoints(x, y);
            points.Color = DataColor.WithAlpha(0.55);
            points.MarkerSize = 3.5f;
            points.LegendText = label;
        }
        else
        {
            var line = plot.Add.ScatterLine(x, y);
            line.Color = plot.Add.Palette.GetColor(colorIndex++);
            line.LineWidth = 2;
            line.LegendText = label;
        }
    }

    /// <summary>
    /// Shows the legend below the plot (where it hides no data) when there is more than one labelled curve, except for
    /// the plain pair of one data curve and one model curve, which the caption explains (dots and a line).
    /// </summary>
    protected static void LegendIfUseful(Plot plot, IReadOnlyCollection<string> labels)
    {
        var plainPair = labels.Count == 2 && labels.Count(IsDataLabel) == 1;
        if (labels.Count < 2 || plainPair)
        {
            plot.HideLegend();
            return;
        }
        plot.Legend.FontSize = 12;
        plot.ShowLegend(Edge.Bottom);
    }
}
