using System.Globalization;
using System.Text.Json;
using Discovery.Results;
using ScottPlot;

namespace Discovery.Reports;

/// <summary>A node of a symbolic transition graph: a linear subregion and the share of time spent in it.</summary>
public sealed record GraphNode(string Code, double Fraction);

/// <summary>An edge of a symbolic transition graph: P(next = To | now = From).</summary>
public sealed record GraphEdge(string From, string To, double Probability);

/// <summary>
/// The transition graph of an AL-RNN's symbolic codes: one disc per visited subregion (area by time spent there) on a
/// circle, an arrow per transition between different subregions (width by probability, labelled), and the probability
/// of staying under each disc.
/// </summary>
public sealed class TransitionGraphPlot(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges)
    : ReportPlot("Transitions between linear subregions", "transitions", height: 420)
{
    public IReadOnlyList<GraphNode> Nodes { get; } = nodes;
    public IReadOnlyList<GraphEdge> Edges { get; } = edges;

    public override string Caption =>
        "Each disc is a linear subregion of the AL-RNN (its code: 1 where a piecewise-linear unit is active), sized by the time the free run spent there; arrows are the probabilities of moving on, 'stay' the probability of remaining.";

    /// <summary>The graph stored in result.json's <c>symbolic</c> section (typed, or read back as JSON); null when absent or empty.</summary>
    public static TransitionGraphPlot? From(DiscoveryResult result)
    {
        if (result.Extra is null || !result.Extra.TryGetValue("symbolic", out var section) || section is null) return null;
        var element = section is JsonElement e ? e : JsonSerializer.SerializeToElement(section, section.GetType(), ResultJson.Options);
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("regions", out var regions) || regions.ValueKind != JsonValueKind.Array
            || !element.TryGetProperty("transitions", out var transitions) || transitions.ValueKind != JsonValueKind.Array)
            return null;
        var nodes = new List<GraphNode>();
        foreach (var r in regions.EnumerateArray())
            if (r.TryGetProperty("code", out var code) && r.TryGetProperty("fraction", out var fraction) && fraction.TryGetDouble(out var f))
                nodes.Add(new GraphNode(code.GetString() ?? "", f));
        var edges = new List<GraphEdge>();
        foreach (var t in transitions.EnumerateArray())
            if (t.TryGetProperty("from", out var from) && t.TryGetProperty("to", out var to) && t.TryGetProperty("probability", out var p) && p.TryGetDouble(out var pv))
                edges.Add(new GraphEdge(from.GetString() ?? "", to.GetString() ?? "", pv));
        return nodes.Count == 0 ? null : new TransitionGraphPlot(nodes, edges);
    }

    protected override void Draw(Plot plot)
    {
        var count = Nodes.Count;
        var position = new Dictionary<string, Coordinates>(StringComparer.Ordinal);
        for (var k = 0; k < count; k++)
        {
            var angle = Math.PI / 2 - 2 * Math.PI * k / count;
            position[Nodes[k].Code] = count == 1 ? new Coordinates(0, 0) : new Coordinates(Math.Cos(angle), Math.Sin(angle));
        }
        var radius = count == 1 ? 0.0 : 0.22;
        foreach (var edge in Edges)
        {
            if (edge.From == edge.To || !position.TryGetValue(edge.From, out var a) || !position.TryGetValue(edge.To, out var b)) continue;
            // Offset each direction sideways so that a -> b and b -> a do not overlap.
            var dx = b.X - a.X;
            var dy = b.Y - a.Y;
            var length = Math.Sqrt(dx * dx + dy * dy);
            if (length == 0) continue;
            var (ux, uy) = (dx / length, dy / length);
            var (nx, ny) = (-uy * 0.06, ux * 0.06);
            var start = new Coordinates(a.X + ux * radius + nx, a.Y + uy * radius + ny);
            var end = new Coordinates(b.X - ux * radius + nx, b.Y - uy * radius + ny);
            var arrow = plot.Add.Arrow(start, end);
            arrow.ArrowLineWidth = 0.5f + (float)(6 * edge.Probability);
            arrow.ArrowFillColor = Colors.SteelBlue.WithAlpha(0.35 + 0.6 * edge.Probability);
            arrow.ArrowLineColor = Colors.SteelBlue;
            var label = plot.Add.Text(Percent(edge.Probability), (start.X + end.X) / 2 + nx * 2, (start.Y + end.Y) / 2 + ny * 2);
            label.LabelFontSize = 12;
            label.LabelAlignment = Alignment.MiddleCenter;
        }
        var largest = Nodes.Max(n => n.Fraction);
        foreach (var node in Nodes)
        {
            var at = position[node.Code];
            var marker = plot.Add.Marker(at, MarkerShape.FilledCircle, (float)(18 + 42 * Math.Sqrt(node.Fraction / Math.Max(largest, 1e-12))));
            marker.Color = Colors.Orange.WithAlpha(0.85);
            var text = plot.Add.Text(node.Code, at.X, at.Y);
            text.LabelFontSize = 14;
            text.LabelBold = true;
            text.LabelAlignment = Alignment.MiddleCenter;
            var stay = Edges.FirstOrDefault(e => e.From == node.Code && e.To == node.Code)?.Probability ?? 0;
            var caption = plot.Add.Text($"{Percent(node.Fraction)} of time, stay {Percent(stay)}", at.X, at.Y - 0.3);
            caption.LabelFontSize = 11;
            caption.LabelAlignment = Alignment.UpperCenter;
        }
        plot.Axes.SetLimits(-1.6, 1.6, -1.6, 1.45);
        plot.HideGrid();
        plot.Layout.Frameless();
    }

    private static string Percent(double p) => (100 * p).ToString(p >= 0.1 ? "F0" : "F1", CultureInfo.InvariantCulture) + "%";
}
