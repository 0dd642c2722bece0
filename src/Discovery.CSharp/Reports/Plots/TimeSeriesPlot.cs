using Discovery.Results;
using ScottPlot;

namespace Discovery.Reports;

/// <summary>Data against model over time (or over rows): data as dots, each model series as a line.</summary>
public sealed class TimeSeriesPlot(SeriesResult series) : ReportPlot(series.Title, "time")
{
    public SeriesResult Series { get; } = series;

    public override string Caption => "Dots are the data, lines the discovered model evaluated over the same range.";

    protected override void Draw(Plot plot)
    {
        var colorIndex = 0;
        foreach (var (label, values) in Series.Y)
        {
            var (x, y) = FinitePoints(Series.X, values);
            AddCurve(plot, x, y, label, IsDataLabel(label), ref colorIndex);
        }
        plot.XLabel(Series.XLabel.Length > 0 ? Series.XLabel : "t");
        if (Series.YLabel.Length > 0) plot.YLabel(Series.YLabel);
        LegendIfUseful(plot, Series.Y.Keys.ToArray());
    }
}
