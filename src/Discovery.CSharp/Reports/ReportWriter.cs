using System.Text;
using Discovery.Results;

namespace Discovery.Reports;

/// <summary>The files a report consists of.</summary>
public sealed record ReportFiles(string Html, string Markdown, IReadOnlyList<string> Figures);

/// <summary>
/// Writes the reports of a result into a folder: <c>report.html</c> (self-contained), <c>report.md</c> and the figures
/// of the Markdown report as <c>plot-NN-kind-title.svg</c> beside it.
/// </summary>
public static class ReportWriter
{
    /// <summary>File name of the HTML report.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>File name of the Markdown report.</summary>
    public const string MarkdownFileName = "report.md";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes <c>report.html</c>, <c>report.md</c> and the figure SVGs of <paramref name="result"/> into
    /// <paramref name="directory"/> (created when missing), replacing earlier report files; figure files of an earlier
    /// report that the new one no longer has are deleted. <c>result.json</c> is not touched (see <see cref="WriteRun"/>).
    /// </summary>
    public static ReportFiles WriteAll(string directory, DiscoveryResult result)
    {
        Directory.CreateDirectory(directory);
        var content = ReportContent.Of(result);
        var figures = new List<string>();
        foreach (var figure in content.Figures)
        {
            var path = Path.Combine(directory, figure.FileName);
            File.WriteAllText(path, figure.Plot.ToSvg(), Utf8);
            figures.Add(path);
        }
        var current = content.Figures.Select(f => f.FileName).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.EnumerateFiles(directory, "plot-*.svg"))
        {
            var name = Path.GetFileName(stale);
            if (ReportContent.IsFigureFileName(name) && !current.Contains(name)) File.Delete(stale);
        }
        var markdown = Path.Combine(directory, MarkdownFileName);
        File.WriteAllText(markdown, MarkdownReport.Render(content), Utf8);
        var html = Path.Combine(directory, HtmlFileName);
        File.WriteAllText(html, HtmlReport.Render(content), Utf8);
        return new ReportFiles(html, markdown, figures);
    }

    /// <summary>Writes <c>result.json</c> and then the reports (<see cref="WriteAll"/>): everything a run leaves behind.</summary>
    public static ReportFiles WriteRun(string directory, DiscoveryResult result)
    {
        Directory.CreateDirectory(directory);
        ResultJson.Write(directory, result);
        return WriteAll(directory, result);
    }

    /// <summary>The HTML text of the report of <paramref name="result"/> (as <see cref="WriteAll"/> writes it).</summary>
    public static string RenderHtml(DiscoveryResult result) => HtmlReport.Render(ReportContent.Of(result));

    /// <summary>The Markdown text of the report of <paramref name="result"/> (as <see cref="WriteAll"/> writes it).</summary>
    public static string RenderMarkdown(DiscoveryResult result) => MarkdownReport.Render(ReportContent.Of(result));

    /// <summary>Whether the file at <paramref name="path"/> is missing or is a report this tool wrote (so it may be replaced).</summary>
    public static bool IsGeneratedReport(string path)
    {
        if (!File.Exists(path)) return true;
        using var reader = new StreamReader(path, Utf8);
        var buffer = new char[4096];
        var head = new string(buffer, 0, reader.ReadBlock(buffer, 0, buffer.Length));
        return head.Contains(HtmlReport.GeneratorMarker, StringComparison.Ordinal)
               || head.StartsWith(MarkdownReport.GeneratorMarker, StringComparison.Ordinal);
    }
}
