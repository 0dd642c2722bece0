using System.Globalization;
using System.Text.Json;

namespace Discovery.Tests.Cli;

/// <summary><c>discovery sr</c>: finds a known law in a table, writes result.json, and rejects bad data in one line.</summary>
public sealed class SrCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("discovery-sr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteCsv(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string LawTable()
    {
        var rng = new Random(3);
        var lines = new List<string> { "m,v,E" };
        for (var i = 0; i < 200; i++)
        {
            var m = 1 + 4 * rng.NextDouble();
            var v = 1 + 4 * rng.NextDouble();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{m:R},{v:R},{0.5 * m * v * v:R}"));
        }
        return WriteCsv("energy.csv", string.Join("\n", lines));
    }

    [Fact]
    public void Finds_kinetic_energy_and_writes_the_result_contract()
    {
        var outDir = Path.Combine(_dir, "out");
        var (code, output, error) = CliBasicsTests.Run("sr", LawTable(), "--target", "E", "--iterations", "40", "--seed", "1",
            "--noise-free", "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Contains("chosen: E = ", output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")));
        var root = json.RootElement;
        Assert.Equal("sr", root.GetProperty("method").GetString());
        Assert.Equal(1, root.GetProperty("seed").GetInt64());
        var equation = root.GetProperty("equations")[0];
        Assert.Equal("E", equation.GetProperty("target").GetString());
        Assert.False(string.IsNullOrEmpty(equation.GetProperty("latex").GetString()));
        Assert.True(equation.GetProperty("loss").GetDouble() < 1e-20);
        var found = Symbolic.Algebra.Parse(equation.GetProperty("expression").GetString()!);
        Assert.True(Symbolic.Algebra.Equivalent(found, Symbolic.Algebra.Parse("m*v^2/2")), $"found {equation.GetProperty("expression")}");
        var pareto = root.GetProperty("pareto").EnumerateArray().ToList();
        Assert.NotEmpty(pareto);
        Assert.Single(pareto, p => p.GetProperty("chosen").GetBoolean());
        Assert.All(pareto, p => Assert.True(p.TryGetProperty("complexity", out _) && p.TryGetProperty("loss", out _)));
    }

    [Fact]
    public void Refuses_to_overwrite_an_output_folder_without_force()
    {
        var outDir = Path.Combine(_dir, "taken");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "result.json"), "{}");
        var (code, _, error) = CliBasicsTests.Run("sr", LawTable(), "--iterations", "1", "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("--force", error);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(outDir, "result.json")));
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,x\n", "row 3", "column 'b'")]
    [InlineData("a,b\n1,2\n3,NaN\n", "row 3", "finite")]
    [InlineData("a,b\n1,2\n3\n", "row 3", "ragged")]
    [InlineData("a,b\n1,2\n", "at least 2 data rows", "")]
    [InlineData("", "header", "")]
    public void Bad_data_is_one_line_naming_file_row_and_column(string csv, string expected1, string expected2)
    {
        var path = WriteCsv("bad.csv", csv);
        var (code, output, error) = CliBasicsTests.Run("sr", path, "--iterations", "1");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("bad.csv", error);
        Assert.Contains(expected1, error);
        Assert.Contains(expected2, error);
    }

    [Fact]
    public void Unknown_target_and_operators_are_reported()
    {
        var path = LawTable();
        var (code1, _, error1) = CliBasicsTests.Run("sr", path, "--target", "nope", "--iterations", "1");
        Assert.Equal(2, code1);
        Assert.Contains("'nope' is not a column", error1);
        var (code2, _, error2) = CliBasicsTests.Run("sr", path, "--operators", "+,frob", "--iterations", "1");
        Assert.Equal(2, code2);
        Assert.Contains("unknown operator 'frob'", error2);
    }

    [Fact]
    public void Srbench_judges_a_small_problem_file()
    {
        var problems = WriteCsv("problems.csv",
            "Filename,Number,Output,Formula,# variables,v1_name,v1_low,v1_high,v2_name,v2_low,v2_high\n" +
            "T.1,1,F,q1*q2/(4*pi*r**2),3,q1,1,5,q2,1,5\n" +
            "T.2,2,E,m*v**2/2,2,m,1,5,v,1,5\n");
        // T.1 names 'r' without a range: a clear error naming file, row and column.
        var (code, _, error) = CliBasicsTests.Run("bench", "srbench", "--problems", problems, "--seconds", "1");
        Assert.Equal(2, code);
        Assert.Contains("row 2", error);
        Assert.Contains("'r' has no range", error);

        var good = WriteCsv("good.csv",
            "Filename,Number,Output,Formula,# variables,v1_name,v1_low,v1_high,v2_name,v2_low,v2_high\n" +
            "T.2,2,E,m*v**2/2,2,m,1,5,v,1,5\n");
        var outDir = Path.Combine(_dir, "bench");
        var (code2, output2, error2) = CliBasicsTests.Run("bench", "srbench", "--problems", good, "--seconds", "3", "--rows", "200", "--out", outDir);
        Assert.True(code2 == 0, error2);
        Assert.Contains("symbolic-solution rate: 100", output2);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")));
        var entry = json.RootElement.GetProperty("entries")[0];
        Assert.Equal("T.2", entry.GetProperty("id").GetString());
        Assert.True(entry.GetProperty("symbolic_solution").GetBoolean());
        Assert.True(entry.GetProperty("r2_test").GetDouble() > 0.999);
        Assert.True(entry.TryGetProperty("truth", out _) && entry.TryGetProperty("found", out _) && entry.TryGetProperty("seconds", out _));
    }

    [Fact]
    public void Srbench_with_sensible_nesting_says_so_in_its_result_and_refuses_an_unknown_setting()
    {
        var problems = WriteCsv("nest.csv",
            "Filename,Number,Output,Formula,# variables,v1_name,v1_low,v1_high,v2_name,v2_low,v2_high\n" +
            "T.3,3,F,y*sin(x),2,x,1,5,y,1,5\n");
        var (bad, _, badError) = CliBasicsTests.Run("bench", "srbench", "--problems", problems, "--nesting", "tight");
        Assert.Equal(2, bad);
        Assert.Contains("tight", badError);

        var outDir = Path.Combine(_dir, "nest");
        var (code, output, error) = CliBasicsTests.Run("bench", "srbench", "--problems", problems, "--seconds", "3", "--rows", "200",
            "--nesting", "sensible", "--out", outDir);
        Assert.True(code == 0, error);
        Assert.Contains("symbolic-solution rate:", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")));
        Assert.True(json.RootElement.GetProperty("sensible_nesting").GetBoolean());
        Assert.Equal("T.3", json.RootElement.GetProperty("entries")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void Sr_with_sensible_nesting_keeps_periodic_functions_out_of_each_other()
    {
        var outDir = Path.Combine(_dir, "nested");
        var (code, _, error) = CliBasicsTests.Run("sr", LawTable(), "--target", "E", "--operators", "+,-,*,/,sin,cos",
            "--iterations", "15", "--seed", "2", "--nesting", "sensible", "--out", outDir);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")));
        Assert.Equal("sensible", json.RootElement.GetProperty("options").GetProperty("nesting").GetString());
        foreach (var entry in json.RootElement.GetProperty("pareto").EnumerateArray())
        {
            var expression = entry.GetProperty("expression").GetString()!;
            Assert.False(PeriodicInsidePeriodic(expression), expression);
        }
        var (bad, _, badError) = CliBasicsTests.Run("sr", LawTable(), "--nesting", "loose");
        Assert.Equal(2, bad);
        Assert.Contains("loose", badError);
    }

    /// <summary>Whether some sin( or cos( call has another sin( or cos( inside its parentheses.</summary>
    private static bool PeriodicInsidePeriodic(string expression)
    {
        for (var i = 0; i + 4 <= expression.Length; i++)
        {
            if (expression.Substring(i, 4) is not ("sin(" or "cos(")) continue;
            var depth = 0;
            for (var j = i + 3; j < expression.Length; j++)
            {
                if (expression[j] == '(') depth++;
                else if (expression[j] == ')' && --depth == 0) break;
                else if (j + 4 <= expression.Length && expression.Substring(j, 4) is "sin(" or "cos(") return true;
            }
        }
        return false;
    }
}
