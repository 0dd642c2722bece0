using Discovery.Results;
using ScottPlot;

namespace Discovery.Reports;

/// <summary>Predicted against observed values (X observed, each Y a prediction) with the diagonal of a perfect fit.</summary>
public sealed class ParityPlot(SeriesResult series) : ReportPlot(series.Title, "parity", height: 400)
{
    public SeriesResult Series { get; } = series;

    public override string Caption => "Points on the grey diagonal are predicted exactly; spread around it is the error.";

    protected override void Draw(Plot plot)
    {
        var colorIndex = 0;
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var (label, values) in Series.Y)
        {
            var (x, y) = FinitePoints(Series.X, values);
            if (x.Length == 0) continue;
            var points = plot.Add.ScatterPoints(x, y);
            points.Color = plot.Add.Palette.GetColor(colorIndex++).WithAlpha(0.6);
            points.MarkerSize = 4;
            points.LegendText = label;
            low = Math.Min(low, Math.Min(x.Min(), y.Min()));
            high = Math.Max(high, Math.Max(x.Max(), y.Max()));
        }
        if (low < high)
        {
            var diagonal = plot.Add.Line(low, low, high, high);
            diagonal.Color = Colors.Black.WithAlpha(0.45);
            diagonal.LineWidth = 1;
        }
        plot.XLabel(Series.XLabel.Length > 0 ? Series.XLabel : "observed");
        plot.YLabel(Series.YLabel.Length > 0 ? Series.YLabel : "predicted");
        LegendIfUseful(plot, Series.Y.Keys.ToArray());
    }
}
