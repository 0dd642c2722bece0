using System.Text.Json;
using Discovery.Benchmarks;

namespace Discovery.Tests.Cli;

/// <summary>
/// <c>discovery bench srbench</c> as a reproducible record: seeds that do not depend on the selection, medians over
/// several seeds, the provenance of the run, and <c>bench compare</c>.
/// </summary>
public sealed class SrBenchRecordTests : IDisposable
{
    private const string Header = "Filename,Number,Output,Formula,# variables,v1_name,v1_low,v1_high,v2_name,v2_low,v2_high\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("discovery-srbench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Problems()
    {
        var path = Path.Combine(_dir, "problems.csv");
        File.WriteAllText(path, Header +
            "T.energy,1,E,m*v**2/2,2,m,1,5,v,1,5\n" +
            "T.ratio,2,r,x/(1+y),2,x,1,5,y,1,5\n" +
            "T.force,3,F,q1*q2/(4*pi),2,q1,1,5,q2,1,5\n");
        return path;
    }

    private JsonElement RunBench(string outName, params string[] extra)
    {
        var outDir = Path.Combine(_dir, outName);
        var (code, _, error) = CliBasicsTests.Run(["bench", "srbench", "--problems", Problems(), "--rows", "120", "--iterations", "3",
            "--seconds", "300", "--out", outDir, .. extra]);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "result.json"))).RootElement.Clone();
    }

    [Fact]
    public void A_problem_gets_the_same_seed_and_equation_when_run_alone_as_in_the_full_run()
    {
        var full = RunBench("full", "--seeds", "4,5");
        var alone = RunBench("alone", "--seeds", "4,5", "--only", "T.ratio");
        var fullRatio = full.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("id").GetString() == "T.ratio").ToList();
        var aloneRatio = alone.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, fullRatio.Count);
        Assert.Equal(2, aloneRatio.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(fullRatio[i].GetProperty("run_seed").GetInt64(), aloneRatio[i].GetProperty("run_seed").GetInt64());
            Assert.Equal(SrBenchRunner.ProblemSeed(fullRatio[i].GetProperty("run_seed").GetInt64(), "T.ratio"),
                aloneRatio[i].GetProperty("problem_seed").GetInt64());
            Assert.Equal(fullRatio[i].GetProperty("problem_seed").GetInt64(), aloneRatio[i].GetProperty("problem_seed").GetInt64());
            Assert.Equal(fullRatio[i].GetProperty("found").GetString(), aloneRatio[i].GetProperty("found").GetString());
        }
    }

    [Fact]
    public void Problem_seeds_depend_on_the_run_seed_and_the_id_only()
    {
        Assert.Equal(SrBenchRunner.ProblemSeed(1, "I.6.2"), SrBenchRunner.ProblemSeed(1, "I.6.2"));
        Assert.NotEqual(SrBenchRunner.ProblemSeed(1, "I.6.2"), SrBenchRunner.ProblemSeed(2, "I.6.2"));
        Assert.NotEqual(SrBenchRunner.ProblemSeed(1, "I.6.2"), SrBenchRunner.ProblemSeed(1, "I.6.2a"));
        // Pinned: the seed of a problem must not change between versions, or recorded results stop being reproducible.
        Assert.Equal(SrBenchRunner.ProblemSeed(1, "I.6.2"), SrBenchRunner.ProblemSeed(1, new string("I.6.2".ToCharArray())));
        Assert.True(SrBenchRunner.ProblemSeed(0, "") >= 0);
    }

    [Fact]
    public void Several_seeds_give_median_rates_per_seed_rates_and_the_provenance()
    {
        var report = RunBench("seeds", "--seeds", "1,2,3", "--label", "used for tuning");
        Assert.Equal([1L, 2L, 3L], report.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt64()));
        Assert.Equal(9, report.GetProperty("entries").GetArrayLength());
        var perSeed = report.GetProperty("per_seed").EnumerateArray().Select(r => r.GetProperty("symbolic_solution_rate").GetDouble()).ToArray();
        Assert.Equal(3, perSeed.Length);
        Assert.Equal(perSeed.Order().ElementAt(1), report.GetProperty("symbolic_solution_rate").GetDouble());
        // The energy law is found exactly under every seed, and then the search stops at once.
        foreach (var e in report.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("id").GetString() == "T.energy"))
            Assert.True(e.GetProperty("symbolic_solution").GetBoolean(), e.GetProperty("found").GetString());
        Assert.Equal(3, report.GetProperty("iterations").GetInt32());
        Assert.Equal("used for tuning", report.GetProperty("label").GetString());
        var provenance = report.GetProperty("provenance");
        Assert.StartsWith("discovery bench srbench --problems ", provenance.GetProperty("command").GetString());
        Assert.Contains("--seeds 1,2,3", provenance.GetProperty("command").GetString());
        Assert.Equal(Environment.ProcessorCount, provenance.GetProperty("cores").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(provenance.GetProperty("machine").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(provenance.GetProperty("commit").GetString()));
    }

    [Fact]
    public void Compare_names_the_verdicts_that_changed_between_two_result_files()
    {
        RunBench("a", "--seeds", "1");
        var aPath = Path.Combine(_dir, "a", "result.json");
        var a = SrBenchRunner.Read(aPath);
        // B: the same run with T.energy's verdict flipped to unsolved.
        var flipped = a.Entries.Select(e => e.Id == "T.energy" ? e with { SymbolicSolution = false, R2Test = 0.5, Found = "m*v" } : e).ToList();
        var b = SrBenchRunner.Summarise(new SrBenchOptions(a.Problems, Seeds: [1]), flipped);
        var bPath = Path.Combine(_dir, "b.json");
        File.WriteAllText(bPath, JsonSerializer.Serialize(b, Discovery.Results.ResultJson.Options));

        var (code, output, error) = CliBasicsTests.Run("bench", "compare", aPath, bPath);
        Assert.True(code == 0, error);
        Assert.Contains("lost: T.energy (seed 1) symbolic -> unsolved", output);
        Assert.DoesNotContain("gained:", output);
        var (back, backOutput, _) = CliBasicsTests.Run("bench", "compare", bPath, aPath);
        Assert.Equal(0, back);
        Assert.Contains("gained: T.energy (seed 1) unsolved -> symbolic", backOutput);

        var (missing, _, missingError) = CliBasicsTests.Run("bench", "compare", aPath, Path.Combine(_dir, "none.json"));
        Assert.Equal(2, missing);
        Assert.Contains("none.json: no such file", missingError);
    }

    [Fact]
    public void Bad_seed_lists_are_one_line_errors()
    {
        var (code, _, error) = CliBasicsTests.Run("bench", "srbench", "--problems", Problems(), "--seeds", "1,x");
        Assert.Equal(2, code);
        Assert.Contains("--seeds: 'x' is not a whole number", error);
        var (repeated, _, repeatedError) = CliBasicsTests.Run("bench", "srbench", "--problems", Problems(), "--seeds", "2,2");
        Assert.Equal(2, repeated);
        Assert.Contains("repeated", repeatedError);
    }
}
