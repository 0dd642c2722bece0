using System.Globalization;
using System.Text.Json;

namespace Discovery.Tests.Cli;

/// <summary><c>discovery discover</c>: the main job on the built-in problem, on a table and on trajectories.</summary>
public sealed class DiscoverCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("discovery-discover-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonElement Equation(JsonElement root, string target) =>
        root.GetProperty("equations").EnumerateArray().Single(e => e.GetProperty("target").GetString() == target);

    [Fact]
    public void An_analysis_that_fails_after_reading_leaves_no_output_folder_but_keeps_an_existing_one()
    {
        var data = Path.Combine(_dir, "short.csv");
        File.WriteAllLines(data, ["t,x", "0,1", "1,2", "2,3"]);
        var fresh = Path.Combine(_dir, "fresh");
        var (code, output, error) = CliBasicsTests.Run("discover", data, "--out", fresh);
        Assert.Equal(2, code);
        Assert.Equal("discovery: a trajectory of 3 samples is too short for the weak form (needs 9)", error.TrimEnd());
        Assert.False(Directory.Exists(fresh), output);

        var existing = Directory.CreateDirectory(Path.Combine(_dir, "existing")).FullName;
        Assert.Equal(2, CliBasicsTests.Run("discover", data, "--out", existing).Code);
        Assert.True(Directory.Exists(existing));
    }

    [Fact]
    public void Built_in_problem_recovers_the_lorenz_terms_and_writes_the_report()
    {
        var outDir = Path.Combine(_dir, "lorenz");
        var (code, output, error) = CliBasicsTests.Run("discover", "--out", outDir);
        Assert.True(code == 0, error);
        var html = Path.Combine(outDir, "report.html");
        Assert.Contains($"report: {html}", output);
        Assert.True(File.Exists(html) && File.Exists(Path.Combine(outDir, "report.md")));
        Assert.Contains("<math", File.ReadAllText(html));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")));
        var root = json.RootElement;
        // PySINDy's Lorenz terms; with 1% measurement noise (weak form), each coefficient within 5%
        // and no other term.
        var truth = new Dictionary<string, Dictionary<string, double>>
        {
            ["x'"] = new() { ["x"] = -10, ["y"] = 10 },
            ["y'"] = new() { ["x"] = 28, ["y"] = -1, ["x*z"] = -1 },
            ["z'"] = new() { ["z"] = -8.0 / 3, ["x*y"] = 1 },
        };
        foreach (var (target, terms) in truth)
        {
            var found = Equation(root, target).GetProperty("terms").EnumerateArray()
                .ToDictionary(t => t.GetProperty("term").GetString()!, t => t.GetProperty("coefficient").GetDouble());
            Assert.Equal(terms.Keys.Order(), found.Keys.Order());
            foreach (var (term, coefficient) in terms)
                Assert.InRange(found[term] / coefficient, 0.95, 1.05);
        }
    }

    [Fact]
    public void A_table_gets_symbolic_regression()
    {
        var rng = new Random(5);
        var lines = new List<string> { "a,b,y" };
        for (var i = 0; i < 100; i++)
        {
            var a = 1 + 3 * rng.NextDouble();
            var b = 1 + 3 * rng.NextDouble();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{a:R},{b:R},{a * b + a:R}"));
        }
        var path = Path.Combine(_dir, "table.csv");
        File.WriteAllLines(path, lines);
        var outDir = Path.Combine(_dir, "table");
        var (code, output, error) = CliBasicsTests.Run("discover", path, "--seconds", "5", "--operators", "+,-,*,/", "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Contains("report: ", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")));
        Assert.Equal("sr", json.RootElement.GetProperty("method").GetString());
        var found = Symbolic.Algebra.Parse(Equation(json.RootElement, "y").GetProperty("expression").GetString()!);
        Assert.True(Symbolic.Algebra.Equivalent(found, Symbolic.Algebra.Parse("a*b + a")), Symbolic.Algebra.ToInfix(found));
    }

    [Fact]
    public void Bad_input_is_one_line_and_nothing_is_overwritten()
    {
        var (code, _, error) = CliBasicsTests.Run("discover", Path.Combine(_dir, "missing.csv"), "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, code);
        Assert.Contains("missing.csv", error);
        Assert.Single(error.TrimEnd().Split('\n'));

        var taken = Path.Combine(_dir, "taken");
        Directory.CreateDirectory(taken);
        File.WriteAllText(Path.Combine(taken, "notes.txt"), "mine");
        var (code2, _, error2) = CliBasicsTests.Run("discover", "--out", taken);
        Assert.Equal(2, code2);
        Assert.Contains("--force", error2);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(taken, "notes.txt")));

        var bad = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(bad, "t,x\n0,1\n1,oops\n");
        var (code3, _, error3) = CliBasicsTests.Run("discover", bad, "--out", Path.Combine(_dir, "bad"));
        Assert.Equal(2, code3);
        Assert.Contains("row 3", error3);
        Assert.Contains("'x'", error3);
    }
}
