// Sample: hidden-term PINN on Lotka-Volterra (the interaction terms hidden), from C#, with the report.
//   dotnet run --project samples/PinnLotkaVolterra [-- --quick] [--example lotka-volterra|budworm|burgers] [OUTPUT-FOLDER]
// The full run trains on 20 points with 1% noise and recovers -0.9*x*y and 0.8*x*y; quick mode trains briefly.
using System.Globalization;
using Discovery.Neural.Pinn;
using Discovery.Reports;

namespace Samples;

public static class PinnLotkaVolterra
{
    public static int Main(string[] args)
    {
        var example = args.SkipWhile(a => a != "--example").Skip(1).FirstOrDefault() ?? "lotka-volterra";
        var folder = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || args[i - 1] != "--example")).FirstOrDefault()
                     ?? Path.Combine("discovery-out", $"pinn-{example}-sample");
        return Run(args.Contains("--quick"), folder, Console.Out, example);
    }

    /// <summary>Runs the sample into <paramref name="folder"/>; returns 0 when every hidden term was recovered in exact form
    /// (quick mode: when the run completes and the completed equations reproduce the data).</summary>
    public static int Run(bool quick, string folder, TextWriter output, string example = "lotka-volterra")
    {
        var problem = example switch
        {
            "lotka-volterra" => PinnExamples.LotkaVolterra(points: 20, noise: 0.01, seed: 1),
            "budworm" => PinnExamples.Budworm(points: 20, noise: 0.01, seed: 1),
            "burgers" => PinnExamples.Burgers(nx: 64, nt: 11, noise: 0.01, seed: 1),
            _ => throw new ArgumentException($"unknown example '{example}' (lotka-volterra, budworm, burgers)"),
        };
        var options = quick
            ? new PinnOptions(Epochs: 800, WarmupEpochs: 100, LbfgsIterations: 60, CollocationPoints: 64, SurrogateWidth: 16,
                Seed: 1, Distillation: new DistillationOptions(Samples: 100, PolynomialDegree: 2, SearchSeconds: 1, SearchIterations: 3, SearchThreads: 1))
            : new PinnOptions(Seed: 1, CollocationPoints: problem.Data.Space is null ? 256 : 2000,
                Distillation: new DistillationOptions(SearchSeconds: 10));
        foreach (var e in problem.Equations) output.WriteLine($"given: {e}");
        var result = HiddenTermPinn.Fit(problem.Problem(), problem.Data, options, p =>
        {
            if (p.Step == p.Steps || p.Step % Math.Max(1, p.Steps / 5) == 0)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {p.Phase} {p.Step}/{p.Steps}: loss {p.Loss:G4} (data {p.DataLoss:G4}, residual {p.ResidualLoss:G4})"));
        });
        output.Write(result.Format());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"training {result.TrainingSeconds:F1} s, distillation {result.DistillationSeconds:F1} s"));
        var exact = true;
        foreach (var h in result.Hidden)
        {
            var check = PinnRecovery.Check(h, problem.Truth[h.Term.Name]);
            foreach (var c in h.Candidates)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  candidate ({c.Source}, size {c.Complexity}, R² {c.R2:F6}): {Symbolic.Print.infixWith(Symbolic.Print.withDigits(4), c.Expression)}"));
            var truthValues = Discovery.SparseRegression.FeatureMatrix.Evaluate([problem.Truth[h.Term.Name].Expression], h.Term.ArgumentNames, h.Arguments)[0];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  the true term against the network: R² {Discovery.SparseRegression.Metrics.R2(h.Values, truthValues):F6}"));
            exact &= check.ExactForm && check.CoefficientError <= 0.05;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{h.Term.Name}: exact form {(check.ExactForm ? "yes" : "no")}, coefficient error {check.CoefficientError:P2} (truth {Symbolic.Print.infix(problem.Truth[h.Term.Name].Expression)})"));
        }
        var files = ReportWriter.WriteRun(folder, result.ToDiscoveryResult());
        output.WriteLine($"report: {files.Html}");
        if (quick) return result.Verification.R2 is { } r2 && r2.Values.All(v => v > 0.5) ? 0 : 1;
        return exact ? 0 : 1;
    }
}
