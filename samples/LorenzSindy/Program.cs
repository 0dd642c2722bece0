// Sample: SINDy on the Lorenz system with 1% noise, from C#, with the report a scientist can send.
//   dotnet run --project samples/LorenzSindy [-- --quick] [OUTPUT-FOLDER]
// Quick mode simulates a shorter trajectory; both write result.json, report.html and report.md.
using Discovery.Differentiation;
using Discovery.Reports;
using Discovery.SparseRegression;
using Discovery.Systems;

namespace Samples;

public static class LorenzSindy
{
    public static int Main(string[] args)
    {
        var folder = args.FirstOrDefault(a => !a.StartsWith("--")) ?? Path.Combine("discovery-out", "lorenz-sample");
        return Run(args.Contains("--quick"), folder, Console.Out);
    }

    /// <summary>Runs the sample into <paramref name="folder"/>; returns 0 when every Lorenz term was found.</summary>
    public static int Run(bool quick, string folder, TextWriter output)
    {
        // PySINDy's example: sigma 10, rho 28, beta 8/3 from (-8, 8, 27), dt 0.002; 1% Gaussian noise per state.
        var data = SystemZoo.Get("lorenz").Simulate(new SimulationOptions(TimeEnd: quick ? 4 : 10, TimeStep: 0.002,
            InitialState: [-8, 8, 27], NoiseLevel: 0.01, Seed: 1));

        // The weak form integrates against smooth test functions instead of differentiating noisy samples.
        var sindy = new Sindy(new Stlsq(new StlsqOptions(Threshold: 0.5, Alpha: 0.05)), new PolynomialLibrary(2),
            new SmoothingSplineDerivative(), new SindyOptions(new WeakFormOptions()));
        var model = sindy.Fit(data);
        output.Write(model.Format(4));

        var result = SindyResults.ToResult(new SindyRun(model, data, Seed: 1));
        var files = ReportWriter.WriteRun(folder, result);
        output.WriteLine($"report: {files.Html}");

        // The truth has 7 terms: x in x', y in x', x, y and x*z in y', z and x*y in z'.
        return model.Complexity == 7 ? 0 : 1;
    }
}
