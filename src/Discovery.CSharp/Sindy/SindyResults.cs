using System.Globalization;
using Discovery.Data;
using Discovery.Results;
using Symbolic;

namespace Discovery.SparseRegression;

/// <summary>What a SINDy run produced, for <see cref="SindyResults.ToResult"/>.</summary>
/// <param name="Model">The final model (after any refinement).</param>
/// <param name="Data">The data it was fitted on.</param>
/// <param name="Sweep">The threshold sweep, when one ran.</param>
/// <param name="Refinement">The refinement, when one ran.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="Input">The input file.</param>
/// <param name="Options">The options as the user gave them.</param>
/// <param name="Seed">The seed of the stochastic parts (ensemble, search).</param>
public sealed record SindyRun(
    FittedSindy Model,
    TrajectoryData Data,
    ThresholdSweepResult? Sweep = null,
    RefinementResult? Refinement = null,
    double Seconds = 0,
    InputInfo? Input = null,
    IReadOnlyDictionary<string, string>? Options = null,
    long? Seed = null);

/// <summary>Turns a SINDy run into the shared <see cref="DiscoveryResult"/> (result.json).</summary>
public static class SindyResults
{
    /// <summary>Points per plotted series at most (longer series are thinned evenly).</summary>
    public const int MaxSeriesPoints = 500;

    /// <summary>
    /// The result: method "sindy"; one equation per state in every printed form (complexity = nodes of the expression,
    /// loss = mean squared error against the estimated derivatives) with its terms (coefficients, and for ensembles
    /// inclusion probabilities and intervals); metrics r2 and r2_&lt;state&gt; (on the rows fitted: derivative samples, or
    /// weak-form windows), r2_derivative and r2_derivative_&lt;state&gt; (against derivatives estimated with the learner's
    /// differentiation method), complexity (non-zero terms), rows, seconds; the
    /// sweep's Pareto fronts (complexity = number of terms, loss = validation 1 − R²); data-versus-model derivative series
    /// of the first trajectory; notes in words.
    /// </summary>
    public static DiscoveryResult ToResult(SindyRun run)
    {
        var model = run.Model;
        var data = run.Data;
        var predicted = model.Predict(data);
        var states = model.StateNames;
        var equations = new List<EquationResult>();
        var metrics = new Dictionary<string, double>();
        var series = new List<SeriesResult>();
        var r2 = new double[states.Count];
        for (var i = 0; i < states.Count; i++)
        {
            var column = data.IndexOf(states[i]);
            var actual = new List<double>();
            var modelled = new List<double>();
            for (var r = 0; r < data.Trajectories.Count; r++)
            {
                var t = data.Trajectories[r];
                actual.AddRange(model.Learner.Differentiation.Differentiate(t.Times, t.Column(column)));
                for (var k = 0; k < t.Length; k++) modelled.Add(predicted[r][k, i]);
            }
            r2[i] = Metrics.R2(actual.ToArray(), modelled.ToArray());
            var rhs = model.RightHandSide(i);
            var terms = model.Refined[i]
                ? null
                : model.Terms(i).Select(t => new TermResult(FeatureMatrix.NameOf(t.Feature), t.Coefficient, t.InclusionProbability, t.Low, t.High)).ToArray();
            equations.Add(EquationForms.Of($"{states[i]}'", rhs, ExprModule.size(rhs),
                Metrics.MeanSquaredError(actual.ToArray(), modelled.ToArray()), digits: 6) with { Terms = terms });
            metrics[$"r2_{states[i]}"] = model.TrainingR2[i];
            metrics[$"r2_derivative_{states[i]}"] = r2[i];

            var first = data.Trajectories[0];
            var count = first.Length;
            var stride = Math.Max(1, (int)Math.Ceiling((double)count / MaxSeriesPoints));
            var picked = Enumerable.Range(0, count).Where(k => k % stride == 0).ToArray();
            series.Add(new SeriesResult
            {
                Title = $"{states[i]}' over time{(data.Trajectories.Count > 1 ? $" (trajectory {first.Id})" : "")}",
                Kind = "time",
                XLabel = data.TimeName,
                YLabel = $"d{states[i]}/d{data.TimeName}",
                X = picked.Select(k => first.Times[k]).ToArray(),
                Y = new Dictionary<string, double[]>
                {
                    ["data (estimated derivative)"] = picked.Select(k => actual[k]).ToArray(),
                    ["model"] = picked.Select(k => modelled[k]).ToArray(),
                },
            });
        }
        metrics["r2"] = model.TrainingR2.Average();
        metrics["r2_derivative"] = r2.Average();
        metrics["complexity"] = model.Complexity;
        metrics["rows"] = data.TotalSamples;
        if (run.Seconds > 0) metrics["seconds"] = run.Seconds;

        var pareto = run.Sweep?.Points.Where(p => p.OnFront).Select(p => new ParetoPoint
        {
            Target = $"{p.State}'",
            Complexity = p.Complexity,
            Loss = p.Error,
            Expression = Print.infixWith(Print.withDigits(6), p.Expression),
            Latex = Print.latexWith(Print.withDigits(6), p.Expression),
            Chosen = p.Chosen,
        }).ToArray() ?? [];

        var extra = new Dictionary<string, object?>
        {
            ["learner"] = model.Learner.ToString(),
            ["features"] = model.FeatureNames.ToArray(),
        };
        if (run.Sweep is { } sweep)
            extra["chosen_thresholds"] = states.Select((s, i) => new { state = s, threshold = sweep.ChosenThresholds[i] }).ToArray();
        if (model.TrimmedRows.Count > 0) extra["trimmed_rows"] = model.TrimmedRows.ToArray();
        if (run.Refinement is { } refinement)
            extra["refinement"] = refinement.Targets.Select(t => new
            {
                state = t.State,
                sindy_r2 = t.SindyR2,
                searched = t.Searched,
                candidate = t.Candidate is { } c ? Print.infix(c) : null,
                candidate_r2 = t.CandidateR2,
                kept = t.Kept,
                reason = t.Reason,
            }).ToArray();

        return new DiscoveryResult
        {
            Method = "sindy",
            Seed = run.Seed,
            Input = run.Input,
            Equations = equations,
            Pareto = pareto,
            Metrics = metrics,
            Options = run.Options ?? new Dictionary<string, string>(),
            Series = series,
            Notes = Notes(run),
            Extra = extra,
        };
    }

    private static List<string> Notes(SindyRun run)
    {
        var model = run.Model;
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{model.Learner}. R² measures the fit on the rows fitted ({(model.IsWeakForm ? "weak-form windows: local averages of the derivatives" : "derivatives estimated from the data")}); r2_derivative compares with derivatives estimated by {model.Learner.Differentiation.Name}. A high R² means the equations reproduce the data, not that they are the true law."),
        };
        if (run.Sweep is not null)
            notes.Add("The threshold was chosen per state by the sweep: the simplest Pareto model whose held-out error is within the tolerance of the best, at the steepest drop of error per added term.");
        if (model.Ensemble is { } e)
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"Ensemble of {e.Models} models: each term lists how often it was selected (inclusion probability) and a {e.Level:P0} interval of its coefficient over the models."));
        for (var i = 0; i < model.StateNames.Count; i++)
        {
            if (model.Refined[i])
                notes.Add($"{model.StateNames[i]}': the library could not express it well; the equation comes from the symbolic-regression search, warm-started by SINDy.");
            if (model.TrainingR2[i] < 0.99)
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{model.StateNames[i]}': R² {model.TrainingR2[i]:G4} is low: the library may lack terms, or the data is noisy (try --weak or smoothing differentiation)."));
        }
        if (model.TrimmedRows.Count > 0) notes.Add($"{model.TrimmedRows.Count} rows were left out as outliers by SR3 trimming.");
        if (!model.Converged) notes.Add("The optimizer stopped at its iteration limit.");
        return notes;
    }
}
