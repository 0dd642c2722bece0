using Discovery.Results;
using Discovery.Systems;
using Symbolic;

namespace Discovery.Tests.Reports;

/// <summary>Results shaped like a learner's, built without a learner, for report tests.</summary>
internal static class SampleResults
{
    /// <summary>The right-hand sides a SINDy run on noisy Lorenz data might find (coefficients slightly off).</summary>
    public static readonly (string State, string Rhs)[] LorenzModel =
    [
        ("x", "-9.981*x + 9.977*y"),
        ("y", "27.93*x - 0.9962*y - 0.9994*x*z"),
        ("z", "-2.664*z + 0.9991*x*y"),
    ];

    /// <summary>
    /// An ensemble-SINDy-like result for Lorenz: noisy data against the found model simulated from the same start,
    /// equations in every form, term statistics, a Pareto front per state, metrics, options and an input file checksum.
    /// </summary>
    public static DiscoveryResult Lorenz(long seed = 42, double timeEnd = 4, double dt = 0.01)
    {
        var truth = SystemZoo.Find("lorenz")!;
        var options = new SimulationOptions(TimeEnd: timeEnd, TimeStep: dt, InitialState: truth.InitialState, NoiseLevel: 0.01, Seed: (int)seed);
        var data = truth.Simulate(options).Trajectories[0];
        var modelSystem = DynamicalSystem.FromText(string.Join("; ", LorenzModel.Select(m => $"{m.State}' = {m.Rhs}")), name: "model");
        var model = modelSystem.Simulate(options with { NoiseLevel = 0 }).Trajectories[0];

        var equations = LorenzModel.Select((m, i) => EquationForms.Of($"{m.State}'", Parse(m.Rhs), complexity: i == 1 ? 5 : 3, loss: 0.01 * (i + 1)) with
        {
            Terms = TermsOf(i),
        }).ToArray();

        var series = new List<SeriesResult>();
        string[] names = ["x", "y", "z"];
        for (var j = 0; j < 3; j++)
        {
            series.Add(new SeriesResult
            {
                Title = $"{names[j]} over time",
                Kind = "time",
                XLabel = "t",
                YLabel = names[j],
                X = data.Times,
                Y = new Dictionary<string, double[]> { ["data"] = data.Column(j), ["model"] = model.Column(j) },
            });
        }

        return new DiscoveryResult
        {
            Method = "ensemble-sindy",
            Seed = seed,
            Created = new DateTimeOffset(2026, 11, 29, 9, 40, 0, TimeSpan.Zero),
            Input = new InputInfo("data/lorenz.csv", new string('a', 64), data.Length, ["t", "x", "y", "z"]),
            Equations = equations,
            Pareto = ParetoOf(),
            Metrics = new Dictionary<string, double> { ["r2"] = 0.99931, ["mse"] = 0.0123, ["seconds"] = 1.84 },
            Options = new Dictionary<string, string>
            {
                ["threshold"] = "0.1",
                ["library"] = "polynomial degree 2",
                ["ensemble"] = "100 bootstraps",
                ["noise"] = "0.01",
                ["differentiation"] = "savitzky-golay",
            },
            Series = series,
            Notes = ["Derivatives were estimated with a Savitzky-Golay filter of width 9."],
        };
    }

    /// <summary>A symbolic-regression-like result for one output, with no series and no ensemble.</summary>
    public static DiscoveryResult Regression() => new()
    {
        Method = "sr",
        Seed = 7,
        Equations = [EquationForms.Of("y", Parse("2.5*x^2 + sin(x)"), complexity: 8, loss: 1.2e-6)],
        Pareto =
        [
            new ParetoPoint { Target = "y", Complexity = 1, Loss = 4.1, Expression = "x" },
            new ParetoPoint { Target = "y", Complexity = 5, Loss = 0.2, Expression = "2.5*x^2" },
            new ParetoPoint { Target = "y", Complexity = 8, Loss = 1.2e-6, Expression = "2.5*x^2 + sin(x)", Chosen = true, Score = 5.1 },
            new ParetoPoint { Target = "y", Complexity = 12, Loss = 1.1e-6, Expression = "2.5*x^2 + sin(x) + 0.001*x^3" },
        ],
        Metrics = new Dictionary<string, double> { ["r2"] = 0.9999999 },
    };

    private static Expr Parse(string text)
    {
        var parsed = Symbolic.Parse.expression(text);
        return parsed.IsOk ? parsed.ResultValue : throw new ArgumentException(parsed.ErrorValue.ToString());
    }

    private static TermResult[] TermsOf(int equation) => equation switch
    {
        0 => [new("x", -9.981, 1.0, -10.2, -9.8), new("y", 9.977, 1.0, 9.79, 10.15), new("x*z", 0.004, 0.12, -0.01, 0.02)],
        1 => [new("x", 27.93, 1.0, 27.5, 28.3), new("y", -0.9962, 0.97, -1.1, -0.9), new("x*z", -0.9994, 1.0, -1.02, -0.98), new("z", 0.03, 0.46, -0.02, 0.08)],
        _ => [new("z", -2.664, 1.0, -2.7, -2.63), new("x*y", 0.9991, 1.0, 0.98, 1.01), new("x^2", 0.001, 0.05, null, null)],
    };

    private static ParetoPoint[] ParetoOf()
    {
        var points = new List<ParetoPoint>();
        string[] targets = ["x'", "y'", "z'"];
        (int Complexity, double Loss, string Expression)[][] fronts =
        [
            [(1, 60.0, "-9.2*x"), (3, 0.01, "-9.981*x + 9.977*y"), (5, 0.0098, "-9.98*x + 9.98*y + 0.004*x*z")],
            [(1, 300.0, "-x*z"), (3, 40.0, "27.1*x - x*z"), (5, 0.02, "27.93*x - 0.9962*y - 0.9994*x*z"), (7, 0.019, "27.93*x - 0.996*y - 0.999*x*z + 0.03*z")],
            [(1, 90.0, "x*y"), (3, 0.03, "-2.664*z + 0.9991*x*y")],
        ];
        for (var i = 0; i < 3; i++)
        {
            var chosen = i == 2 ? 1 : (i == 0 ? 1 : 2);
            for (var k = 0; k < fronts[i].Length; k++)
            {
                var (complexity, loss, expression) = fronts[i][k];
                points.Add(new ParetoPoint
                {
                    Target = targets[i],
                    Complexity = complexity,
                    Loss = loss,
                    Expression = expression,
                    Chosen = k == chosen,
                });
            }
        }
        return points.ToArray();
    }
}
