using Discovery.Results;
using ScottPlot;

namespace Discovery.Reports;

/// <summary>Residuals (differences between data and model) over time or rows as dots, with the zero line.</summary>
public sealed class ResidualPlot(SeriesResult series) : ReportPlot(series.Title, "residual")
{
    public SeriesResult Series { get; } = series;

    public override string Caption =>
        "Residuals are the differences between data and model; structure in them (drift, oscillation) points to something the equations miss.";

    protected override void Draw(Plot plot)
    {
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Black.WithAlpha(0.45);
        zero.LineWidth = 1;
        var colorIndex = 0;
        foreach (var (label, values) in Series.Y)
        {
            var (x, y) = FinitePoints(Series.X, values);
            if (x.Length == 0) continue;
            var points = plot.Add.ScatterPoints(x, y);
            points.Color = plot.Add.Palette.GetColor(colorIndex++).WithAlpha(0.7);
            points.MarkerSize = 3;
            points.LegendText = label;
        }
        plot.XLabel(Series.XLabel.Length > 0 ? Series.XLabel : "t");
        plot.YLabel(Series.YLabel.Length > 0 ? Series.YLabel : "residual");
        LegendIfUseful(plot, Series.Y.Keys.ToArray());
    }
}
