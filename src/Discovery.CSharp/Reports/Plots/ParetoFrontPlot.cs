using System.Globalization;
using Discovery.Results;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Discovery.Reports;

/// <summary>
/// The complexity/loss front: loss on a log scale against complexity, one line per target, the chosen model of each
/// target ringed. Losses that are zero or not finite are drawn at the floor of the axis.
/// </summary>
public sealed class ParetoFrontPlot(IReadOnlyList<ParetoPoint> points, string title = "Pareto front: complexity versus loss")
    : ReportPlot(title, "pareto", height: 340)
{
    public IReadOnlyList<ParetoPoint> Points { get; } = points;

    public override string Caption =>
        "Each point is the best candidate found at that complexity; the ringed point is the chosen model. A steep drop " +
        "followed by a flat tail is the usual sign of a real law.";

    /// <summary>log10 of each loss, with zero, negative and non-finite losses at one decade below the smallest positive one.</summary>
    public static double[] LogLosses(IReadOnlyList<double> losses)
    {
        var positive = losses.Where(l => double.IsFinite(l) && l > 0).DefaultIfEmpty(1e-16).Min();
        var floor = Math.Log10(positive) - 1;
        return losses.Select(l => double.IsFinite(l) && l > 0 ? Math.Log10(l) : floor).ToArray();
    }

    protected override void Draw(Plot plot)
    {
        var logs = LogLosses(Points.Select(p => p.Loss).ToArray());
        var groups = Points.Select((p, i) => (Point: p, Log: logs[i]))
            .GroupBy(t => t.Point.Target ?? "")
            .ToList();
        var colorIndex = 0;
        var chosenX = new List<double>();
        var chosenY = new List<double>();
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(t => t.Point.Complexity).ToArray();
            var line = plot.Add.Scatter(ordered.Select(t => (double)t.Point.Complexity).ToArray(), ordered.Select(t => t.Log).ToArray());
            line.Color = plot.Add.Palette.GetColor(colorIndex++);
            line.LineWidth = 1.5f;
            line.MarkerSize = 6;
            line.LegendText = group.Key.Length > 0 ? group.Key : "candidates";
            foreach (var (point, log) in ordered.Where(t => t.Point.Chosen))
            {
                chosenX.Add(point.Complexity);
                chosenY.Add(log);
            }
        }
        if (chosenX.Count > 0)
        {
            var chosen = plot.Add.ScatterPoints(chosenX.ToArray(), chosenY.ToArray());
            chosen.MarkerShape = MarkerShape.OpenCircle;
            chosen.MarkerSize = 16;
            chosen.MarkerLineWidth = 2.5f;
            chosen.Color = Color.FromHex("#d62728");
            chosen.LegendText = "chosen";
        }

        var span = logs.Length == 0 ? 0 : logs.Max() - logs.Min();
        var ticks = new NumericAutomatic();
        if (span >= 2)
        {
            ticks.IntegerTicksOnly = true;
            ticks.MinorTickGenerator = new LogMinorTickGenerator();
            ticks.LabelFormatter = PowerOfTen;
        }
        else
        {
            ticks.LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture);
        }
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("complexity");
        plot.YLabel("loss (log scale)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontSize = 12;
    }

    /// <summary>"10⁻³" for -3.</summary>
    private static string PowerOfTen(double exponent)
    {
        const string superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var k = (int)Math.Round(exponent);
        var digits = Math.Abs(k).ToString(CultureInfo.InvariantCulture).Select(c => superscripts[c - '0']);
        return "10" + (k < 0 ? "⁻" : "") + string.Concat(digits);
    }
}
