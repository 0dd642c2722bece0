using Discovery.Neural.Pinn;
using Symbolic;

namespace Discovery.Tests.Neural;

/// <summary>The data-side step of the PINN's distillation: forms refitted by solving the completed equations, and chosen on
/// the data, so terms a network's wiggles added do not survive. No network is trained: the forms are written by hand.</summary>
public class TrajectoryRefitTests
{
    private static readonly PinnExample Example = PinnExamples.LotkaVolterra(points: 20, noise: 0.01, seed: 4);

    private static DistilledTerm Form(HiddenTerm term, string chosen, string source, params (string Source, string Text)[] candidates)
    {
        var x = Example.Data.States["x"];
        var y = Example.Data.States["y"];
        var values = x.Zip(y, (a, b) => a * b).ToArray();
        var all = candidates.Select(c => new DistillationCandidate(c.Source, Algebra.Parse(c.Text), 1, 0.99)).ToArray();
        return new DistilledTerm(term, Algebra.Parse(chosen), 1, 0.99, source, all, [x, y], values);
    }

    private static TrajectoryRefit.Outcome Refit(DistilledTerm h1, DistilledTerm h2)
    {
        var problem = Example.Problem();
        var start = new[] { Example.Data.States["x"][0], Example.Data.States["y"][0] };
        var outcome = TrajectoryRefit.Run(problem, Example.Data, [h1, h2], new Dictionary<string, double>(), start);
        Assert.NotNull(outcome);
        return outcome;
    }

    private static void AssertRecovered(TrajectoryRefit.Outcome outcome)
    {
        foreach (var h in outcome.Hidden)
        {
            var check = PinnRecovery.Check(h, Example.Truth[h.Term.Name]);
            Assert.True(check.ExactForm, $"{h.Term.Name} = {Print.infix(h.Expression)}");
            Assert.True(check.CoefficientError < 0.03, $"{h.Term.Name} = {Print.infix(h.Expression)}: error {check.CoefficientError}");
        }
    }

    [Fact]
    public void Small_spurious_terms_of_a_sparse_fit_are_dropped_when_the_data_does_not_need_them()
    {
        var hidden = Example.Problem().Hidden;
        var outcome = Refit(
            Form(hidden[0], "-0.85*x*y + 0.004*x^3 - 0.002*y^2", "sparse"),
            Form(hidden[1], "0.76*x*y + 0.003*y^3", "sparse"));
        AssertRecovered(outcome);
        Assert.Equal(3, outcome.Dropped.Count);
        Assert.True(outcome.CostAfter < outcome.CostBefore);
    }

    [Fact]
    public void A_small_term_inside_a_factor_is_dropped_after_multiplying_out()
    {
        var hidden = Example.Problem().Hidden;
        var outcome = Refit(
            Form(hidden[0], "x*y*(0.002239*x - 0.9198) + 0.006591", "search"),
            Form(hidden[1], "0.7982*x*y", "sparse"));
        AssertRecovered(outcome);
    }

    [Fact]
    public void A_bloated_search_form_gives_way_to_a_simpler_candidate_that_fits_the_data_as_well()
    {
        var hidden = Example.Problem().Hidden;
        const string bloated = "0.617/(x - 0.556*y + 1.125) - 0.836*y*(x + 0.0734) - 0.0224";
        var outcome = Refit(
            Form(hidden[0], bloated, "search", ("sparse", "-0.88*x*y"), ("search", bloated)),
            Form(hidden[1], "0.79*x*y", "sparse", ("sparse", "0.79*x*y")));
        AssertRecovered(outcome);
        Assert.StartsWith("sparse", outcome.Hidden[0].Source);
    }

    [Fact]
    public void A_form_with_a_pole_on_the_path_gives_way_to_a_candidate_the_equations_can_be_solved_with()
    {
        // y peaks near 4.6 in this data, so 0.05/(y - 4.4) makes the completed equations blow up.
        var hidden = Example.Problem().Hidden;
        const string pole = "0.7915*x*y - 0.0496/(y - 4.4)";
        var outcome = Refit(
            Form(hidden[0], "-0.88*x*y", "sparse", ("sparse", "-0.88*x*y")),
            Form(hidden[1], pole, "search", ("sparse", "0.78*x*y + 0.004*y^3"), ("search", pole)));
        AssertRecovered(outcome);
    }

    [Fact]
    public void A_true_term_is_kept_even_when_its_coefficient_starts_far_off()
    {
        var hidden = Example.Problem().Hidden;
        var outcome = Refit(
            Form(hidden[0], "-0.5*x*y + 0.01*x", "sparse"),
            Form(hidden[1], "0.5*x*y", "sparse"));
        AssertRecovered(outcome);
        // The linear term, refitted to a small value first, is the only one dropped.
        Assert.Matches(@"^h1: -?[0-9.]+(e-?[0-9]+)?\*x$", Assert.Single(outcome.Dropped));
    }
}
