using Discovery.Results;

namespace Discovery.Reports;

/// <summary>A figure and the section of the report it belongs to.</summary>
public enum PlotSection
{
    /// <summary>Data against model: time series, residuals, phase portraits, parity plots.</summary>
    Fit,
    /// <summary>The complexity/loss front.</summary>
    Candidates,
    /// <summary>Ensemble statistics.</summary>
    Ensemble,
}

/// <summary>A figure placed in a section.</summary>
public sealed record PlannedPlot(ReportPlot Plot, PlotSection Section);

/// <summary>Chooses the figures of a report from a result.</summary>
public static class ReportPlots
{
    /// <summary>
    /// The figures for a result, in reading order: for each series of <see cref="DiscoveryResult.Series"/> one plot of
    /// its kind ("time", "residual", "phase", "parity"; an unknown kind is drawn like "time"); when the result has no
    /// residual series, the residuals of each time series that has one data curve and one model curve (labels containing
    /// "data" and "model") are derived and placed right after it; when it has no phase series but its equations are
    /// dynamics (targets like <c>x'</c>) and two time series have data and model curves over the same times, a phase
    /// portrait of the first two states; then the Pareto front when there are candidates; then one inclusion
    /// probability chart per equation that has term probabilities. A result with symbolic codes (Extra["symbolic"], PLRNN)
    /// also gets the transition graph of its linear subregions after the fit figures. Series with no finite point are left out.
    /// </summary>
    public static IReadOnlyList<PlannedPlot> For(DiscoveryResult result)
    {
        var plots = new List<PlannedPlot>();
        var series = result.Series.Where(HasPoints).ToList();
        var hasResiduals = series.Any(s => s.Kind == "residual");
        foreach (var s in series)
        {
            switch (s.Kind)
            {
                case "residual":
                    plots.Add(new(new ResidualPlot(s), PlotSection.Fit));
                    break;
                case "phase":
                    if (PhaseOf(s) is { } phase) plots.Add(new(phase, PlotSection.Fit));
                    break;
                case "parity":
                    plots.Add(new(new ParityPlot(s), PlotSection.Fit));
                    break;
                default:
                    plots.Add(new(new TimeSeriesPlot(s), PlotSection.Fit));
                    if (!hasResiduals && ResidualOf(s) is { } residual) plots.Add(new(new ResidualPlot(residual), PlotSection.Fit));
                    break;
            }
        }

        var isDynamics = result.Equations.Any(e => EquationDisplay.ParseTarget(e.Target).IsDerivative);
        if (isDynamics && !series.Any(s => s.Kind == "phase") && DerivedPhase(series) is { } derived)
            plots.Add(new(derived, PlotSection.Fit));

        if (TransitionGraphPlot.From(result) is { } graph) plots.Add(new(graph, PlotSection.Fit));
        if (result.Pareto.Count > 0) plots.Add(new(new ParetoFrontPlot(result.Pareto), PlotSection.Candidates));
        foreach (var equation in result.Equations)
            if (InclusionProbabilityPlot.TermsOf(equation).Count > 0)
                plots.Add(new(new InclusionProbabilityPlot(equation), PlotSection.Ensemble));
        return plots;
    }

    private static bool HasPoints(SeriesResult s) =>
        s.X is { Length: > 0 } && s.Y is { Count: > 0 }
        && s.Y.Values.Any(y => y is not null && y.Take(s.X.Length).Any(double.IsFinite));

    private static (string Label, double[] Values)? DataCurve(SeriesResult s)
    {
        var data = s.Y.Where(kv => kv.Value is not null && IsData(kv.Key)).ToList();
        return data.Count == 1 ? (data[0].Key, data[0].Value) : null;
    }

    private static (string Label, double[] Values)? ModelCurve(SeriesResult s)
    {
        var models = s.Y.Where(kv => kv.Value is not null && !IsData(kv.Key)).ToList();
        return models.Count == 1 ? (models[0].Key, models[0].Value) : null;
    }

    private static bool IsData(string label) => ReportPlot.IsDataLabel(label);

    /// <summary>Data minus model for a series with exactly one data and one model curve.</summary>
    private static SeriesResult? ResidualOf(SeriesResult s)
    {
        if (s.Y.Count != 2 || DataCurve(s) is not { } data || ModelCurve(s) is not { } model) return null;
        var n = Math.Min(s.X.Length, Math.Min(data.Values.Length, model.Values.Length));
        var residual = new double[n];
        for (var i = 0; i < n; i++) residual[i] = data.Values[i] - model.Values[i];
        var name = s.YLabel.Length > 0 ? s.YLabel : s.Title;
        return new SeriesResult
        {
            Title = $"Residuals of {name}",
            Kind = "residual",
            XLabel = s.XLabel,
            YLabel = $"{name}: data − model",
            X = s.X[..n],
            Y = new Dictionary<string, double[]> { ["data − model"] = residual },
        };
    }

    /// <summary>
    /// A "phase" series: its Y curves taken in pairs (horizontal, vertical); each pair is labelled by the words its two
    /// labels share after their first word ("x data" and "y data" give "data"), or by both labels.
    /// </summary>
    private static PhasePortraitPlot? PhaseOf(SeriesResult s)
    {
        var entries = s.Y.Where(kv => kv.Value is not null).ToList();
        if (entries.Count < 2) return null;
        var curves = new List<PhaseCurve>();
        for (var i = 0; i + 1 < entries.Count; i += 2)
            curves.Add(new PhaseCurve(PairLabel(entries[i].Key, entries[i + 1].Key), entries[i].Value, entries[i + 1].Value));
        var horizontal = s.XLabel.Length > 0 ? s.XLabel : FirstWord(entries[0].Key);
        var vertical = s.YLabel.Length > 0 ? s.YLabel : FirstWord(entries[1].Key);
        return new PhasePortraitPlot(s.Title, horizontal, vertical, curves);
    }

    private static string FirstWord(string label) => label.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? label;

    private static string PairLabel(string a, string b)
    {
        var restA = a.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault();
        var restB = b.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault();
        return restA is not null && restA == restB ? restA.Trim('(', ')', ' ') : $"{a} / {b}";
    }

    /// <summary>The phase portrait of the first two time series that have one data and one model curve over the same times.</summary>
    private static PhasePortraitPlot? DerivedPhase(IReadOnlyList<SeriesResult> series)
    {
        var candidates = series.Where(s => s.Kind == "time" && DataCurve(s) is not null && ModelCurve(s) is not null).ToList();
        for (var i = 0; i < candidates.Count; i++)
        for (var j = i + 1; j < candidates.Count; j++)
        {
            var (a, b) = (candidates[i], candidates[j]);
            if (!a.X.AsSpan().SequenceEqual(b.X)) continue;
            var nameA = a.YLabel.Length > 0 ? a.YLabel : a.Title;
            var nameB = b.YLabel.Length > 0 ? b.YLabel : b.Title;
            var curves = new List<PhaseCurve>
            {
                new("data", DataCurve(a)!.Value.Values, DataCurve(b)!.Value.Values),
                new("model", ModelCurve(a)!.Value.Values, ModelCurve(b)!.Value.Values),
            };
            return new PhasePortraitPlot($"Phase portrait: {nameB} against {nameA}", nameA, nameB, curves);
        }
        return null;
    }
}
