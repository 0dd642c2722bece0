using System.Text.Json;
using Discovery.Neural.Prose;
using Discovery.Results;

namespace Discovery.Tests.Cli;

[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public sealed class ProseCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-prose-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliBasicsTests.Run(args);

    private string TinyModel()
    {
        var folder = PathOf("tiny");
        if (!ProseModelFile.Exists(folder))
        {
            var (code, output, error) = Run("prose", "train", "--size", "tiny", "--steps", "2", "--batch", "2", "--out", folder);
            Assert.True(code == 0, error);
            Assert.Contains("done: 2 steps", output);
        }
        return folder;
    }

    private string LorenzCsv()
    {
        var file = PathOf("lorenz.csv");
        if (!File.Exists(file))
        {
            var (code, output, error) = Run("prose", "sample", "lorenz", "--seed", "3", "--out", file);
            Assert.True(code == 0, error);
            Assert.Contains("192 points", output);
        }
        return file;
    }

    [Fact]
    public void Predict_writes_equations_the_continuation_and_metrics_to_result_json()
    {
        var out_ = PathOf("run");
        var (code, output, error) = Run("prose", "predict", LorenzCsv(), "--model", TinyModel(), "--beam", "1", "--out", out_);
        Assert.True(code == 0, error);
        Assert.Contains("continuation: 128 points", output);
        var result = ResultJson.Read(Path.Combine(out_, "result.json"));
        Assert.Equal("prose", result.Method);
        Assert.Contains("parsed", result.Metrics.Keys);
        Assert.True(result.Metrics["relative_l2_first_half"] >= 0);
        Assert.True(result.Metrics["relative_l2_second_half"] >= 0);
        Assert.Equal(3, result.Series.Count);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(out_, "result.json")));
        var prediction = json.RootElement.GetProperty("prediction");
        Assert.Equal(128, prediction.GetProperty("times").GetArrayLength());
        Assert.Equal(128, prediction.GetProperty("states").GetProperty("x").GetArrayLength());
        Assert.True(json.RootElement.TryGetProperty("equations", out _));
        Assert.True(File.Exists(Path.Combine(out_, "report.html")));
    }

    [Fact]
    public void Predict_takes_a_guess_of_the_equations_in_the_file_s_names()
    {
        var (code, _, error) = Run("prose", "predict", LorenzCsv(), "--model", TinyModel(), "--beam", "1",
            "--guess", "10*(y - x); x*(28 - z) - y; x*y - 8/3*z");
        Assert.True(code == 0, error);
        var (bad, _, badError) = Run("prose", "predict", LorenzCsv(), "--model", TinyModel(), "--guess", "y - x; q");
        Assert.Equal(2, bad);
        Assert.Contains("--guess", badError);
    }

    [Fact]
    public void Bad_input_is_one_line_errors()
    {
        var (code, _, error) = Run("prose", "predict", PathOf("missing.csv"), "--model", TinyModel());
        Assert.Equal(2, code);
        Assert.Contains("no such file", error);
        Assert.Single(error.Trim().Split('\n'));

        var shortFile = PathOf("short.csv");
        File.WriteAllLines(shortFile, ["t,x,y,z", "0,1,2,3", "0.1,1.5,2,3", "0.2,1,2.5,4", "0.3,1,2,3.5"]);
        (code, _, error) = Run("prose", "predict", shortFile, "--model", TinyModel());
        Assert.Equal(2, code);
        Assert.Contains("covers only", error);

        var twoStates = PathOf("two.csv");
        File.WriteAllLines(twoStates, ["t,x,y", "0,1,2", "0.1,1.5,3", "0.2,1,2.5"]);
        (code, _, error) = Run("prose", "predict", twoStates, "--model", TinyModel());
        Assert.Equal(2, code);
        Assert.Contains("3 states", error);

        (code, _, error) = Run("prose", "predict", LorenzCsv(), "--model", PathOf("nowhere"));
        Assert.Equal(2, code);
        (code, _, error) = Run("prose", "train", "--families", "lorenz,nosuch", "--steps", "1", "--out", PathOf("x"));
        Assert.Equal(2, code);
        Assert.Contains("nosuch", error);
    }

    [Fact]
    public void Eval_scores_held_out_instances_per_family()
    {
        var out_ = PathOf("eval");
        var (code, output, error) = Run("prose", "eval", "--model", TinyModel(), "--per-family", "1", "--out", out_);
        Assert.True(code == 0, error);
        Assert.Contains("lorenz", output);
        Assert.Contains("held-out instances", output);
        var result = ResultJson.Read(Path.Combine(out_, "result.json"));
        Assert.Equal(12, result.Metrics["instances"]);
        Assert.InRange(result.Metrics["valid"], 0, 1);
    }
}

[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public sealed class ProseShippedCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-prose-shipped-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Predict_uses_the_model_shipped_next_to_the_tool()
    {
        Assert.True(ProseModelFile.Exists(Path.Combine(AppContext.BaseDirectory, "models", "prose-small")));
        var csv = Path.Combine(_directory.FullName, "rossler.csv");
        Assert.Equal(0, CliBasicsTests.Run("prose", "sample", "rossler", "--seed", "2", "--out", csv).Code);
        var (code, output, error) = CliBasicsTests.Run("prose", "predict", csv, "--beam", "1");
        Assert.True(code == 0, error);
        Assert.Contains("refitted to the observed window", output);
    }
}
