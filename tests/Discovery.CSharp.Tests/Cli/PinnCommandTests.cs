using System.Globalization;
using System.Text.Json;
using Discovery.Neural.Pinn;

namespace Discovery.Tests.Cli;

/// <summary><c>discovery pinn</c>: a small run writes the result contract; mistakes in the input are one-line errors.</summary>
[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public sealed class PinnCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("discovery-pinn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string LotkaVolterraCsv()
    {
        var data = PinnExamples.LotkaVolterra(points: 15, noise: 0.0).Data;
        var lines = new List<string> { "t,x,y" };
        for (var k = 0; k < data.Rows; k++)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{data.Times[k]:R},{data.States["x"][k]:R},{data.States["y"][k]:R}"));
        var path = Path.Combine(_dir, "lv.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static readonly string[] Tiny =
        ["--epochs", "60", "--warmup", "20", "--lbfgs", "0", "--width", "8", "--hidden-width", "8", "--collocation", "32", "--search-seconds", "0", "--seed", "2"];

    [Fact]
    public void Small_run_prints_the_completed_equations_and_writes_the_hidden_list()
    {
        var outDir = Path.Combine(_dir, "out");
        var (code, output, error) = CliBasicsTests.Run(["pinn", LotkaVolterraCsv(), "--equation", "x' = 1.3*x + h1(x, y)",
            "--equation", "y' = -1.8*y + h2(x, y)", .. Tiny, "--out", outDir]);
        Assert.True(code == 0, error);
        Assert.Contains("x' = ", output);
        Assert.Contains("h2(x, y) = ", output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")));
        var root = json.RootElement;
        Assert.Equal("pinn", root.GetProperty("method").GetString());
        Assert.Equal(["x'", "y'"], root.GetProperty("equations").EnumerateArray().Select(e => e.GetProperty("target").GetString()));
        var hidden = root.GetProperty("hidden").EnumerateArray().ToList();
        Assert.Equal(["h1", "h2"], hidden.Select(h => h.GetProperty("name").GetString()));
        Assert.All(hidden, h =>
        {
            Symbolic.Algebra.Parse(h.GetProperty("expression").GetString()!);
            Assert.InRange(h.GetProperty("r2").GetDouble(), -1e9, 1.0);
        });
        Assert.True(root.GetProperty("metrics").TryGetProperty("training_seconds", out _));
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
    }

    [Theory]
    [InlineData("z' = x + h1(x)", "'z', which is not a data column")]
    [InlineData("x' = 1.3*x - 0.9*x*y", "has no equation")]
    [InlineData("x' = 1.3*x + h1(x, y", "equation")]
    public void Bad_equations_are_one_line_errors(string equation, string reason)
    {
        var (code, _, error) = CliBasicsTests.Run(["pinn", LotkaVolterraCsv(), "--equation", equation, .. Tiny]);
        Assert.Equal(2, code);
        Assert.Contains(reason, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Equations_without_a_hidden_term_an_unknown_time_column_or_a_bad_csv_are_one_line_errors()
    {
        var csv = LotkaVolterraCsv();
        var (code, _, error) = CliBasicsTests.Run(["pinn", csv, "--equation", "x' = 1.3*x - 0.9*x*y", "--equation", "y' = -1.8*y + 0.8*x*y", .. Tiny]);
        Assert.Equal(2, code);
        Assert.Contains("no hidden term", error);

        (code, _, error) = CliBasicsTests.Run(["pinn", csv, "--time", "tau", "--equation", "x' = h1(x, y)", "--equation", "y' = h2(x, y)", .. Tiny]);
        Assert.Equal(2, code);
        Assert.Contains("'tau'", error);

        var bad = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(bad, "t,x\n0,1\n0.1,oops\n0.2,3\n");
        (code, _, error) = CliBasicsTests.Run(["pinn", bad, "--equation", "x' = h1(x)", .. Tiny]);
        Assert.Equal(2, code);
        Assert.Contains("bad.csv", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
