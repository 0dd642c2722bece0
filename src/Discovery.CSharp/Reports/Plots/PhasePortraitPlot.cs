using ScottPlot;

namespace Discovery.Reports;

/// <summary>One curve of a phase portrait: a state against another, labelled "data" or "model".</summary>
public sealed record PhaseCurve(string Label, double[] Horizontal, double[] Vertical);

/// <summary>A phase portrait: one state against another, data as dots and the model's trajectory as a line.</summary>
public sealed class PhasePortraitPlot(string title, string horizontalLabel, string verticalLabel, IReadOnlyList<PhaseCurve> curves)
    : ReportPlot(title, "phase", height: 440)
{
    public IReadOnlyList<PhaseCurve> Curves { get; } = curves;

    public override string Caption => "The shape of the attractor or orbit, free of timing errors: a model can match it even where its timing drifts.";

    protected override void Draw(Plot plot)
    {
        var colorIndex = 0;
        foreach (var curve in Curves)
        {
            var (x, y) = FinitePoints(curve.Horizontal, curve.Vertical);
            AddCurve(plot, x, y, curve.Label, IsDataLabel(curve.Label), ref colorIndex);
        }
        plot.XLabel(horizontalLabel);
        plot.YLabel(verticalLabel);
        LegendIfUseful(plot, Curves.Select(c => c.Label).ToArray());
    }
}
