using System.Diagnostics;
using System.Text.RegularExpressions;
using Discovery.Reports;
using SkiaSharp;

namespace Discovery.Tests.Reports;

/// <summary>
/// Opens the HTML report in a real headless browser (Debian's chromium, which <c>.ci/run</c> installs when missing):
/// the page renders, its MathML survives the HTML parser, and a screenshot shows text and coloured plots. A machine
/// without chromium fails these tests with the command that installs it.
/// </summary>
public sealed class ReportBrowserTests(ReportBrowserTests.BrowserRun browser) : IClassFixture<ReportBrowserTests.BrowserRun>
{
    private const string Chromium = "/usr/bin/chromium";
    private const int Width = 1200;
    private const int Height = 3200;

    /// <summary>One chromium run over the sample report, shared by the tests: the DOM it parsed and its screenshot.</summary>
    public sealed class BrowserRun : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-browser-");
        private readonly Lazy<(string Html, string Dom, string Png)> _run;

        public BrowserRun() => _run = new Lazy<(string, string, string)>(Run);

        public string Html => _run.Value.Html;
        public string Dom => _run.Value.Dom;
        public string Png => _run.Value.Png;

        public void Dispose() => _directory.Delete(recursive: true);

        private (string, string, string) Run()
        {
            var html = ReportWriter.WriteAll(Path.Combine(_directory.FullName, "run"), SampleResults.Lorenz()).Html;
            var png = Path.Combine(_directory.FullName, "report.png");
            var start = new ProcessStartInfo(Chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            string[] arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                $"--user-data-dir={Path.Combine(_directory.FullName, "profile")}",
                $"--screenshot={png}", $"--window-size={Width},{Height}", "--dump-dom", new Uri(html).AbsoluteUri,
            ];
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("chromium did not finish within two minutes");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {error.Result}");
            return (html, output.Result, png);
        }
    }

    private static void RequireChromium() =>
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: the report's browser tests need it. Install it with 'apt-get install -y chromium' (.ci/run does this).");

    [Fact]
    public void The_browser_keeps_one_math_element_per_equation_and_every_figure()
    {
        RequireChromium();
        var dom = browser.Dom;
        Assert.Contains("</html>", dom);
        Assert.Equal(3, Regex.Matches(dom, "<math[ >]").Count);
        Assert.True(Regex.Matches(dom, "<mfrac>").Count >= 3, "the dx/dt fractions are missing");
        Assert.Contains(@"alttext=""\frac{dx}{dt} = ", dom);
        var figures = Directory.GetFiles(Path.GetDirectoryName(browser.Html)!, "plot-*.svg").Length;
        Assert.True(figures >= 9);
        Assert.Equal(figures, Regex.Matches(dom, "<svg[ >]").Count);
        Assert.Contains("How sure are we?", dom);
    }

    [Fact]
    public void A_screenshot_of_the_report_shows_text_and_coloured_plots()
    {
        RequireChromium();
        Assert.True(File.Exists(browser.Png), "chromium wrote no screenshot");
        using var bitmap = SKBitmap.Decode(browser.Png);
        Assert.NotNull(bitmap);
        Assert.Equal(Width, bitmap.Width);
        Assert.Equal(Height, bitmap.Height);

        var background = bitmap.GetPixel(Width - 2, Height / 2);
        int differing = 0, blue = 0, total = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        for (var x = 0; x < bitmap.Width; x += 2)
        {
            var c = bitmap.GetPixel(x, y);
            total++;
            if (Math.Abs(c.Red - background.Red) + Math.Abs(c.Green - background.Green) + Math.Abs(c.Blue - background.Blue) > 60) differing++;
            // The model curves and bars are drawn in the palette's first colour, #1F77B4 (the page's own blue is #1F5FA8).
            if (Math.Abs(c.Red - 0x1F) < 12 && Math.Abs(c.Green - 0x77) < 12 && Math.Abs(c.Blue - 0xB4) < 12) blue++;
        }
        Assert.True(differing > total / 50, $"the page looks blank: {differing} of {total} sampled pixels differ from the background");
        Assert.True(blue > 200, $"no plot is visible: only {blue} sampled pixels have the colour of the model curves");
    }
}
