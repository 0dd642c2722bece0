using System.Globalization;
using System.Text;
using Discovery.Results;
using Symbolic;

namespace Discovery.Neural.Pinn;

/// <summary>A completed equation: the hidden terms replaced by their distilled forms, fitted constants by their values.</summary>
public sealed record CompletedEquation(string Target, string State, Expr RightHandSide)
{
    /// <summary><c>x' = 1.3*x - 0.9*x*y</c>.</summary>
    public override string ToString() => $"{Target} = {Print.infixWith(Print.withDigits(4), RightHandSide)}";
}

/// <summary>How well the completed equations, solved again, reproduce the data: model values at the data's rows and R²
/// per state (both null when they could not be solved again), and what was done, in words.</summary>
public sealed record PinnVerification(IReadOnlyDictionary<string, double[]>? Model, IReadOnlyDictionary<string, double>? R2, string Description);

/// <summary>What a hidden-term PINN run found.</summary>
public sealed record PinnResult
{
    public required PinnProblem Problem { get; init; }
    public required PinnOptions Options { get; init; }

    /// <summary>The completed equations, one per state.</summary>
    public required IReadOnlyList<CompletedEquation> Equations { get; init; }

    /// <summary>The distilled hidden terms, in the problem's order.</summary>
    public required IReadOnlyList<DistilledTerm> Hidden { get; init; }

    /// <summary>Fitted constants by name.</summary>
    public required IReadOnlyDictionary<string, double> Parameters { get; init; }

    internal TrainingOutcome Training { get; init; } = new(0, 0, 0, 0, 0, 0, false);

    /// <summary>Final total loss (data misfit + weighted residual, both normalised).</summary>
    public double Loss => Training.Loss;

    /// <summary>Final normalised data misfit.</summary>
    public double DataLoss => Training.DataLoss;

    /// <summary>Final normalised equation residual.</summary>
    public double ResidualLoss => Training.ResidualLoss;

    /// <summary>Wall-clock seconds of training (warm-up, Adam, L-BFGS).</summary>
    public double TrainingSeconds => Training.Seconds;

    /// <summary>Adam steps and L-BFGS iterations actually run.</summary>
    public (int Adam, int Lbfgs) Steps => (Training.AdamSteps, Training.LbfgsIterations);

    /// <summary>Wall-clock seconds of distillation.</summary>
    public double DistillationSeconds { get; init; }

    /// <summary>The data trained on.</summary>
    public required PinnData Data { get; init; }

    /// <summary>The surrogate's states at the data's rows, in <see cref="PinnProblem.States"/> order.</summary>
    public required double[][] SurrogateAtData { get; init; }

    /// <summary>The completed equations solved again against the data.</summary>
    public required PinnVerification Verification { get; init; }

    /// <summary>Whether the distilled coefficients were refitted by solving the completed equations against the data.</summary>
    public bool RefittedToData { get; init; }

    /// <summary>Terms of the distilled forms dropped because the data did not need them (as "h2: 0.0003*x^3"), by the
    /// model selection of <see cref="TrajectoryRefit"/>.</summary>
    public IReadOnlyList<string> DroppedOnData { get; init; } = [];

    /// <summary>Whether training or the search was stopped early (Ctrl+C).</summary>
    public bool Interrupted { get; init; }

    /// <summary>The completed equations and hidden terms, one per line.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        foreach (var e in Equations) text.AppendLine(e.ToString());
        foreach (var h in Hidden)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{h.Term} = {Print.infixWith(Print.withDigits(4), h.Expression)}   (R² against the network {h.R2:F5}, {h.Source})"));
        foreach (var (name, value) in Parameters)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{name} = {value:G6} (fitted)"));
        return text.ToString();
    }

    /// <summary>The result as written to <c>result.json</c> (method "pinn"): the completed equations, metrics (losses,
    /// training time, R² of the completed equations against the data), series for the report and, in
    /// <see cref="DiscoveryResult.Extra"/>, the <c>hidden</c> list (name, arguments, expression, r2, source, candidates)
    /// and the fitted parameters.</summary>
    public DiscoveryResult ToDiscoveryResult(InputInfo? input = null, IReadOnlyDictionary<string, string>? options = null)
    {
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = Loss,
            ["data_loss"] = DataLoss,
            ["residual_loss"] = ResidualLoss,
            ["training_seconds"] = TrainingSeconds,
            ["distillation_seconds"] = DistillationSeconds,
            ["adam_steps"] = Steps.Adam,
            ["lbfgs_iterations"] = Steps.Lbfgs,
        };
        if (Verification.R2 is { Count: > 0 } r2)
        {
            metrics["r2"] = r2.Values.Average();
            foreach (var (state, value) in r2) metrics[$"r2_{state}"] = value;
        }
        foreach (var h in Hidden) metrics[$"r2_{h.Term.Name}_network"] = h.R2;

        var series = new List<SeriesResult>();
        if (Problem.Kind == PinnKind.Ode)
        {
            var order = Enumerable.Range(0, Data.Rows).OrderBy(k => Data.Times[k]).ToArray();
            for (var i = 0; i < Problem.States.Count; i++)
            {
                var s = Problem.States[i];
                var y = new Dictionary<string, double[]>
                {
                    [$"{s} data"] = order.Select(k => Data.States[s][k]).ToArray(),
                    [$"{s} surrogate"] = order.Select(k => SurrogateAtData[i][k]).ToArray(),
                };
                if (Verification.Model?.TryGetValue(s, out var m) == true) y[$"{s} completed equations"] = order.Select(k => m[k]).ToArray();
                series.Add(new SeriesResult
                {
                    Title = $"{s} over time", Kind = "time", XLabel = Problem.Time, YLabel = s,
                    X = order.Select(k => Data.Times[k]).ToArray(), Y = y,
                });
            }
        }
        else if (Verification.Model is { } model)
            foreach (var (s, values) in model)
                series.Add(new SeriesResult
                {
                    Title = $"{s}: data against the completed equation", Kind = "parity", XLabel = $"{s} (data)", YLabel = $"{s} (model)",
                    X = Thin(Data.States[s]), Y = new Dictionary<string, double[]> { ["completed equation"] = Thin(values) },
                });
        foreach (var h in Hidden)
        {
            var distilled = Evaluate(h);
            if (distilled is null) continue;
            series.Add(new SeriesResult
            {
                Title = $"{h.Term.Name}: network against distilled form", Kind = "parity", XLabel = $"{h.Term.Name} (network)",
                YLabel = $"{h.Term.Name} (distilled)", X = Thin(h.Values), Y = new Dictionary<string, double[]> { ["distilled"] = Thin(distilled) },
            });
        }

        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"A surrogate network and {Hidden.Count} hidden-term network(s) were trained on {Data.Rows} data rows and the equation residual at {Options.CollocationPoints} collocation points ({Steps.Adam} Adam steps, {Steps.Lbfgs} L-BFGS iterations, {TrainingSeconds:F1} s); each hidden network was sampled over the states the data visits and distilled into symbols."),
            Verification.R2 is { } v
                ? string.Create(CultureInfo.InvariantCulture, $"Solved again, the completed equations reproduce the data with R² {string.Join(", ", v.Select(p => $"{p.Key} {p.Value:F4}"))} ({Verification.Description}).")
                : Verification.Description,
            "A hidden term is only identified where the data goes: outside the visited states the distilled form is an extrapolation. A good fit does not prove that it is the exact law.",
        };
        if (DroppedOnData.Count > 0)
            notes.Add($"Dropped because the data did not need them (information criterion on the misfit of the solved equations): {string.Join("; ", DroppedOnData)}.");
        if (Interrupted) notes.Add("The run was stopped early (Ctrl+C); the equations are what had been learned by then.");

        return new DiscoveryResult
        {
            Method = "pinn",
            Seed = Options.Seed,
            Input = input,
            Equations = Equations.Select(e => EquationForms.Of(e.Target, e.RightHandSide, ExprModule.size(e.RightHandSide), null, 6)).ToArray(),
            Metrics = metrics,
            Options = options ?? new Dictionary<string, string>
            {
                ["equations"] = string.Join("; ", Problem.Text),
                ["fit"] = string.Join(",", Problem.Parameters.Keys),
                ["epochs"] = Options.Epochs.ToString(CultureInfo.InvariantCulture),
                ["seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
            },
            Series = series,
            Notes = notes,
            Interrupted = Interrupted,
            Extra = new Dictionary<string, object?>
            {
                ["hidden"] = Hidden.Select(h => new
                {
                    name = h.Term.Name,
                    arguments = h.Term.Arguments.Select(a => Print.infix(a)).ToArray(),
                    expression = Print.infixWith(Print.withDigits(6), h.Expression),
                    latex = Print.latexWith(Print.withDigits(6), h.Expression),
                    r2 = h.R2,
                    complexity = h.Complexity,
                    source = h.Source,
                    candidates = h.Candidates.Select(c => new { source = c.Source, expression = Print.infixWith(Print.withDigits(6), c.Expression), complexity = c.Complexity, r2 = c.R2 }).ToArray(),
                }).ToArray(),
                ["fitted_parameters"] = Parameters.ToDictionary(p => p.Key, p => p.Value),
                ["verification"] = Verification.Description,
                ["refitted_to_data"] = RefittedToData,
                ["dropped_on_data"] = DroppedOnData,
            },
        };
    }

    private static double[]? Evaluate(DistilledTerm h)
    {
        try
        {
            var names = h.Term.ArgumentNames.ToArray();
            var local = h.Expression;
            for (var i = 0; i < names.Length; i++)
                if (!(h.Term.Arguments[i] is Expr.Variable v && v.Item == names[i])) return null;
            return SparseRegression.FeatureMatrix.Evaluate([local], names, h.Arguments)[0];
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static double[] Thin(double[] values) =>
        values.Length <= 2000 ? values : Enumerable.Range(0, 2000).Select(i => values[(int)((long)i * values.Length / 2000)]).ToArray();
}
