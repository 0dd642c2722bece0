using System.Text.Json;
using Discovery.Data;
using Discovery.Reports;
using Discovery.Results;
using Discovery.Tests.Neural;

namespace Discovery.Tests.Cli;

[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public sealed class PlrnnCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-plrnn-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private string CircleCsv()
    {
        var file = PathOf("circle.csv");
        if (File.Exists(file)) return file;
        var x = PlrnnTests.Circle(1200, dt: 0.05, noise: 0.05);
        TrajectoryCsv.Write(file, new TrajectoryData(["u", "v"], new Trajectory(Enumerable.Range(0, 1200).Select(k => k * 0.05).ToArray(), x)));
        return file;
    }

    [Fact]
    public void Plrnn_prints_metrics_and_codes_and_writes_result_json_with_the_report()
    {
        var out_ = PathOf("run");
        var (code, output, error) = CliBasicsTests.Run("plrnn", CircleCsv(), "--latent", "6", "--relu", "2", "--epochs", "3", "--batches", "5",
            "--sequence", "30", "--generate", "200", "--seed", "2", "--out", out_);
        Assert.True(code == 0, error);
        Assert.Contains("d_stsp: ", output);
        Assert.Contains("subregions visited: ", output);
        Assert.Contains("distilled ODE:", output);

        var result = ResultJson.Read(Path.Combine(out_, "result.json"));
        Assert.Equal("plrnn", result.Method);
        foreach (var key in new[] { "d_stsp", "d_h", "pe", "seconds" }) Assert.True(result.Metrics.ContainsKey(key), key);
        Assert.Equal(["u'", "v'"], result.Equations.Select(e => e.Target));
        var symbolic = (JsonElement)result.Extra!["symbolic"]!;
        Assert.Equal(2, symbolic.GetProperty("relu").GetInt32());
        var regions = symbolic.GetProperty("regions").EnumerateArray().ToList();
        Assert.Equal(200, regions.Sum(r => r.GetProperty("count").GetInt32()));
        Assert.Equal(regions.Count, symbolic.GetProperty("affine_maps").GetArrayLength());
        Assert.True(symbolic.GetProperty("transitions").GetArrayLength() >= 1);
        Assert.True(File.Exists(Path.Combine(out_, "report.html")));
        Assert.Contains(Directory.GetFiles(out_, "plot-*transitions*.svg"), f => File.ReadAllText(f).Contains("<svg"));
    }

    [Fact]
    public void A_checkpoint_written_by_one_run_is_resumed_by_the_next()
    {
        var checkpoint = PathOf("model.json");
        var (code, _, error) = CliBasicsTests.Run("plrnn", CircleCsv(), "--latent", "5", "--epochs", "2", "--batches", "3", "--sequence", "20",
            "--generate", "100", "--no-distil", "--checkpoint", checkpoint);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(checkpoint));
        var (code2, output2, error2) = CliBasicsTests.Run("plrnn", CircleCsv(), "--latent", "5", "--epochs", "4", "--batches", "3", "--sequence", "20",
            "--generate", "100", "--no-distil", "--resume", checkpoint);
        Assert.True(code2 == 0, error2);
        Assert.Contains("trained 4 epochs", output2);
    }

    [Theory]
    [InlineData("--model", "lstm", "--model must be")]
    [InlineData("--tf", "full", "--tf must be")]
    [InlineData("--latent", "1", "--latent must be at least")]
    [InlineData("--truth", "nosuchsystem", "unknown system")]
    [InlineData("--input-noise", "-0.1", "input noise must be 0 or more")]
    [InlineData("--select-every", "-1", "--select-every must be 0 or more")]
    public void Bad_options_are_one_line_errors(string option, string value, string message)
    {
        var (code, _, error) = CliBasicsTests.Run("plrnn", CircleCsv(), option, value, "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void A_missing_file_or_a_bad_checkpoint_is_a_one_line_error()
    {
        var (code, _, error) = CliBasicsTests.Run("plrnn", PathOf("none.csv"));
        Assert.Equal(2, code);
        Assert.Contains("no such file", error);
        var bad = PathOf("bad.json");
        File.WriteAllText(bad, "{ not json");
        (code, _, error) = CliBasicsTests.Run("plrnn", CircleCsv(), "--resume", bad);
        Assert.Equal(2, code);
        Assert.Contains("not a discovery-plrnn-checkpoint file", error);
    }

    [Fact]
    public void A_separate_test_file_is_what_the_metrics_use_and_must_have_the_data_s_columns()
    {
        var clean = PathOf("clean.csv");
        TrajectoryCsv.Write(clean, new TrajectoryData(["u", "v"],
            new Trajectory(Enumerable.Range(0, 500).Select(k => k * 0.05).ToArray(), PlrnnTests.Circle(500, dt: 0.05))));
        var out_ = PathOf("tested");
        var (code, output, error) = CliBasicsTests.Run("plrnn", CircleCsv(), "--latent", "5", "--epochs", "2", "--batches", "3", "--sequence", "20",
            "--generate", "400", "--no-distil", "--test", clean, "--out", out_);
        Assert.True(code == 0, error);
        Assert.Contains("model selected after epoch", output);
        var result = ResultJson.Read(Path.Combine(out_, "result.json"));
        Assert.Equal(clean, result.Options["test"]);
        Assert.Equal(400, result.Series[0].X.Length);

        var other = PathOf("other.csv");
        TrajectoryCsv.Write(other, new TrajectoryData(["a", "b"],
            new Trajectory(Enumerable.Range(0, 50).Select(k => k * 0.05).ToArray(), PlrnnTests.Circle(50, dt: 0.05))));
        (code, _, error) = CliBasicsTests.Run("plrnn", CircleCsv(), "--epochs", "1", "--test", other);
        Assert.Equal(2, code);
        Assert.Contains("--test", error);
        Assert.Contains("columns", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void The_transition_graph_is_drawn_from_a_result_read_back_from_json()
    {
        var result = new DiscoveryResult
        {
            Method = "plrnn",
            Extra = new Dictionary<string, object?>
            {
                ["symbolic"] = new Discovery.Neural.Plrnn.SymbolicSection(2, 4, 3, 100,
                    [new("01", 50, 0.5), new("11", 30, 0.3), new("00", 20, 0.2)],
                    [new("01", "01", 40, 0.8), new("01", "11", 10, 0.2), new("11", "00", 30, 1.0), new("00", "01", 20, 1.0)], []),
            },
        };
        var folder = PathOf("graph");
        ReportWriter.WriteRun(folder, result);
        var readBack = ResultJson.Read(Path.Combine(folder, "result.json"));
        var graph = TransitionGraphPlot.From(readBack);
        Assert.NotNull(graph);
        Assert.Equal(["01", "11", "00"], graph!.Nodes.Select(n => n.Code));
        Assert.Equal(4, graph.Edges.Count);
        var svg = graph.ToSvg();
        Assert.Matches(@">\s*01\s*<", svg);
        Assert.Contains("stay 80%", svg);
    }
}
