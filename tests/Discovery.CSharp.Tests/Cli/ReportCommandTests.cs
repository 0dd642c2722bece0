using Discovery.Reports;
using Discovery.Results;
using Discovery.Tests.Reports;

namespace Discovery.Tests.Cli;

public sealed class ReportCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-report-cli-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Dir => _directory.FullName;

    private string PathOf(string name) => Path.Combine(Dir, name);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliBasicsTests.Run(args);

    private static void AssertOneLineError((int Code, string Out, string Err) run, string expected)
    {
        Assert.Equal(2, run.Code);
        Assert.Equal("", run.Out);
        Assert.Single(run.Err.TrimEnd().Split('\n'));
        Assert.StartsWith("discovery: ", run.Err);
        Assert.Contains(expected, run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public void Report_renders_html_markdown_and_figures_again_from_result_json()
    {
        var result = SampleResults.Lorenz();
        ResultJson.Write(Dir, result);
        var (code, output, error) = Run("report", Dir);
        Assert.True(code == 0, error);
        Assert.Equal(PathOf("report.html"), output.Trim());
        var html = File.ReadAllText(PathOf("report.html"));
        Assert.Equal(ReportWriter.RenderHtml(ResultJson.Read(PathOf("result.json"))), html);
        Assert.Contains("<math", html);
        Assert.StartsWith(MarkdownReport.GeneratorMarker, File.ReadAllText(PathOf("report.md")));
        Assert.NotEmpty(Directory.GetFiles(Dir, "plot-*.svg"));
        Assert.Equal(ResultJson.Serialize(result), File.ReadAllText(PathOf("result.json")));
    }

    [Fact]
    public void Report_replaces_its_own_files_but_not_a_users_unless_forced()
    {
        ReportWriter.WriteRun(Dir, SampleResults.Regression());
        Assert.Equal(0, Run("report", Dir).Code);

        File.WriteAllText(PathOf("report.md"), "# my own notes");
        AssertOneLineError(Run("report", Dir), "--force");
        Assert.Equal("# my own notes", File.ReadAllText(PathOf("report.md")));

        var (code, _, error) = Run("report", Dir, "--force");
        Assert.True(code == 0, error);
        Assert.StartsWith(MarkdownReport.GeneratorMarker, File.ReadAllText(PathOf("report.md")));
    }

    [Fact]
    public void Report_fails_cleanly_on_a_missing_folder_a_missing_result_and_bad_json()
    {
        AssertOneLineError(Run("report", PathOf("no-such-run")), "no such folder");
        AssertOneLineError(Run("report", Dir), "has no result.json");
        File.WriteAllText(PathOf("result.json"), "{ \"method\": \"sr\", \"equations\": [ ");
        AssertOneLineError(Run("report", Dir), "result.json: not a Discovery result");
        File.WriteAllText(PathOf("result.json"), "{ \"equations\": [] }");
        AssertOneLineError(Run("report", Dir), "result.json");
        Assert.False(File.Exists(PathOf("report.html")));
    }

    [Fact]
    public void Report_copes_with_nulls_in_a_hand_edited_result()
    {
        File.WriteAllText(PathOf("result.json"),
            """{ "method": "sr", "equations": [ { "target": "y", "expression": "x^2", "latex": null, "mathml": null } ], "pareto": null, "series": [ { "title": "s", "kind": "time", "x": [0, 1], "y": { "data": null } } ], "notes": null }""");
        var (code, _, error) = Run("report", Dir);
        Assert.True(code == 0, error);
        var page = ReportWriterTests.ParseHtml(File.ReadAllText(PathOf("report.html")));
        Assert.Contains("msup", page.ToString());
    }

    [Fact]
    public void Report_help_says_it_overwrites_its_own_report_files()
    {
        var (code, output, _) = Run("report", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Overwrites the report files", output);
        Assert.Contains("--force", output);
    }
}
