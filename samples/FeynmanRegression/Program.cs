// Sample: symbolic regression on a generated Feynman-style table, from C#.
// Coulomb's law F = q1*q2/(4*pi*epsilon*r^2), sampled at random points; the search should find it (up to the constant
// 1/(4*pi) = 0.0795775).
//   dotnet run --project samples/FeynmanRegression            (full: 20 s search)
//   dotnet run --project samples/FeynmanRegression -- --quick  (a few iterations, as CI runs it)
using Symbolic;
using Symbolic.Search;

namespace Samples;

public static class FeynmanRegression
{
    public static int Main(string[] args) => Run(args.Contains("--quick"), Console.Out);

    /// <summary>Runs the sample; returns 0 when the law was found.</summary>
    public static int Run(bool quick, TextWriter output)
    {
        var rng = new Random(1);
        const int rows = 500;
        double[] Sample(double low, double high) => Enumerable.Range(0, rows).Select(_ => low + (high - low) * rng.NextDouble()).ToArray();
        var q1 = Sample(1, 5);
        var q2 = Sample(1, 5);
        var epsilon = Sample(1, 5);
        var r = Sample(1, 5);
        var force = Enumerable.Range(0, rows).Select(i => q1[i] * q2[i] / (4 * Math.PI * epsilon[i] * r[i] * r[i])).ToArray();

        var regression = new SymbolicRegression()
            .WithOperators(["add", "sub", "mul", "div"], [])
            .WithSeed(1)
            .WithTargetLoss(1e-24);
        regression = quick ? regression.WithIterations(3) : regression.WithTimeout(TimeSpan.FromSeconds(20));
        var result = regression.Fit(["q1", "q2", "epsilon", "r"], [q1, q2, epsilon, r], force);

        output.WriteLine($"{"complexity",10}  {"loss",-12}  equation");
        foreach (var entry in result.Front)
            output.WriteLine($"{entry.Complexity,10}  {entry.Loss,-12:G4}  F = {Algebra.ToInfix(entry.Expression, 6)}");
        var chosen = result.Chosen!.Value;
        var truth = Algebra.Parse("q1*q2/(4*pi*epsilon*r^2)");
        var found = Equivalence.isSymbolicSolution(truth, chosen.Expression);
        output.WriteLine($"chosen: F = {Algebra.ToInfix(chosen.Expression, 6)}  ({(found ? "the law, up to rounding of constants" : "not the law")})");
        output.WriteLine($"LaTeX: {Algebra.ToLatex(chosen.Expression)}");
        return found ? 0 : 1;
    }
}
