using Discovery.Results;
using ScottPlot;

namespace Discovery.Reports;

/// <summary>
/// Ensemble term inclusion probabilities of one equation as horizontal bars, first term at the top. Terms kept by at
/// least half of the ensemble are drawn in colour, the others in grey.
/// </summary>
public sealed class InclusionProbabilityPlot(EquationResult equation)
    : ReportPlot($"Term inclusion probability: {equation.Target}", "inclusion", height: Math.Max(200, 100 + 26 * TermsOf(equation).Count))
{
    public EquationResult Equation { get; } = equation;

    public override string Caption =>
        "Share of the ensemble's models that contain each term; terms near 1 are well supported, terms well below 1 are doubtful.";

    /// <summary>The terms of an equation that have an inclusion probability.</summary>
    public static IReadOnlyList<TermResult> TermsOf(EquationResult equation) =>
        (equation.Terms ?? []).Where(t => t.InclusionProbability is { } p && double.IsFinite(p)).ToArray();

    protected override void Draw(Plot plot)
    {
        var terms = TermsOf(Equation);
        var kept = plot.Add.Palette.GetColor(0);
        var doubtful = Color.FromHex("#b8c0c8");
        var bars = new List<Bar>();
        var positions = new double[terms.Count];
        var labels = new string[terms.Count];
        for (var i = 0; i < terms.Count; i++)
        {
            var p = Math.Clamp(terms[i].InclusionProbability!.Value, 0, 1);
            positions[i] = terms.Count - 1 - i;
            labels[i] = terms[i].Term;
            bars.Add(new Bar
            {
                Position = positions[i],
                Value = p,
                FillColor = p >= 0.5 ? kept : doubtful,
                LineWidth = 0,
                Size = 0.7,
                Orientation = Orientation.Horizontal,
            });
        }
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plot.Axes.Left.SetTicks(positions, labels);
        plot.Axes.SetLimitsX(0, 1.05);
        plot.Axes.SetLimitsY(-0.6, terms.Count - 0.4);
        plot.XLabel("inclusion probability");
    }
}
