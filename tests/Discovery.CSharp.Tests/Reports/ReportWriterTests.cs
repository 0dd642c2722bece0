using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Discovery.Reports;
using Discovery.Results;

namespace Discovery.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    private static readonly XNamespace MathML = "http://www.w3.org/1998/Math/MathML";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-report-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Dir => _directory.FullName;

    /// <summary>Parses the page as XML (it is written to be well-formed), ignoring the HTML doctype.</summary>
    internal static XDocument ParseHtml(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    [Fact]
    public void The_html_report_is_well_formed_with_a_math_element_per_equation_and_inline_svg_figures()
    {
        var result = SampleResults.Lorenz();
        var files = ReportWriter.WriteAll(Dir, result);
        var document = ParseHtml(File.ReadAllText(files.Html));

        var maths = document.Descendants(MathML + "math").ToList();
        Assert.Equal(3, maths.Count);
        Assert.All(maths, m => Assert.Equal("block", (string?)m.Attribute("display")));
        Assert.Contains(@"\frac{dx}{dt} = ", (string?)maths[0].Attribute("alttext"));
        Assert.Contains("mfrac", maths[1].ToString());
        // The right-hand side from EquationResult.MathML follows the '=' of the left-hand side.
        Assert.Contains("27.93", maths[1].Value);

        var svgs = document.Descendants(Svg + "svg").ToList();
        Assert.Equal(files.Figures.Count, svgs.Count);
        Assert.True(svgs.Count >= 9, $"expected time, residual, phase, Pareto and inclusion figures, got {svgs.Count}");
        Assert.All(svgs, s => Assert.NotNull(s.Attribute("viewBox")));
        Assert.All(svgs, s => Assert.True(s.Descendants(Svg + "path").Count() > 3, "a figure without drawing"));

        var ids = document.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var html = File.ReadAllText(files.Html);
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html);
        Assert.Single(Regex.Matches(html, "<script"));
        Assert.Contains("Content-Security-Policy", html);
    }

    [Fact]
    public void The_html_report_shows_the_run_metrics_pareto_table_terms_and_options()
    {
        var result = SampleResults.Lorenz();
        var document = ParseHtml(ReportWriter.RenderHtml(result));
        var text = document.Root!.Value;
        foreach (var expected in new[] { "ensemble SINDy", "2026-11-29 09:40 UTC", "Discovery " + result.ToolVersion, "42", "data/lorenz.csv", new string('a', 64), "R²", "0.99931", "polynomial degree 2", "How sure are we?", ReportNotes.Caveat })
            Assert.Contains(expected, text);

        var chosenRows = document.Descendants("tr").Where(r => (string?)r.Attribute("class") == "chosen").ToList();
        Assert.Equal(3, chosenRows.Count);
        Assert.Contains(EquationDisplay.RoundedInfix("-9.981*x + 9.977*y"), chosenRows[0].Value);

        var copyTexts = document.Descendants("button").Select(b => (string?)b.Attribute("data-copy")).OfType<string>().ToList();
        Assert.Contains(copyTexts, t => t.StartsWith(@"\frac{dz}{dt} = ", StringComparison.Ordinal));
        Assert.Contains(copyTexts, t => t == $"z' = {result.Equations[2].Expression}");
    }

    [Fact]
    public void Text_from_the_result_is_escaped_and_unsafe_mathml_is_printed_again_by_the_core()
    {
        const string attack = "<script>alert('x')</script>";
        var sample = SampleResults.Regression();
        var result = sample with
        {
            Method = attack,
            Notes = [attack, "a & b"],
            Options = new Dictionary<string, string> { [attack] = attack },
            Input = new InputInfo($"data/{attack}.csv", "0123", 10, ["x", attack]),
            Equations = [sample.Equations[0] with { MathML = $"<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>x</mi>{attack}</math>", Target = "y" }],
            Pareto = [new ParetoPoint { Target = attack, Complexity = 3, Loss = 1, Expression = attack, Chosen = true }],
            Metrics = new Dictionary<string, double> { [attack] = 1 },
        };
        var html = ReportWriter.RenderHtml(result);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html);
        Assert.Single(Regex.Matches(html, "<script"));
        var document = ParseHtml(html);
        var math = Assert.Single(document.Descendants(MathML + "math"));
        Assert.Contains("msup", math.ToString()); // 2.5*x^2 + sin(x) printed again from the infix
        Assert.Empty(document.Descendants(MathML + "script"));

        // Inside code spans '<' is literal text in Markdown; everywhere else it must be escaped.
        var markdown = ReportWriter.RenderMarkdown(result);
        var outsideCode = Regex.Replace(markdown, "(`+).*?\\1", "");
        Assert.DoesNotContain("<script>", outsideCode);
        Assert.Contains("&lt;script&gt;", markdown);
    }

    [Fact]
    public void Html_in_column_names_stays_text_in_the_latex_blocks_of_the_markdown_report()
    {
        const string attack = "<img src=x onerror=alert(1)>";
        var sample = SampleResults.Regression();
        var result = sample with
        {
            Equations = [sample.Equations[0] with { Expression = "2*x", Latex = $@"2 \mathrm{{{attack}}}", Target = "y" }],
        };
        var markdown = ReportWriter.RenderMarkdown(result);
        var outsideCode = Regex.Replace(markdown, "(`+).*?\\1", "");
        Assert.DoesNotContain("<img", outsideCode);
        Assert.Contains(@"2 \mathrm{\lt{}img src=x onerror=alert(1)\gt{}}", markdown);
    }

    [Fact]
    public void The_markdown_report_has_latex_blocks_and_links_only_to_svg_files_that_exist_beside_it()
    {
        var result = SampleResults.Lorenz();
        var files = ReportWriter.WriteAll(Dir, result);
        var markdown = File.ReadAllText(files.Markdown);
        Assert.StartsWith(MarkdownReport.GeneratorMarker, markdown);
        Assert.Equal(2 * result.Equations.Count, Regex.Matches(markdown, @"^\$\$$", RegexOptions.Multiline).Count);
        Assert.Contains(@"\frac{dy}{dt} = ", markdown);

        var links = Regex.Matches(markdown, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(files.Figures.Count, links.Count);
        Assert.Equal(files.Figures.Select(Path.GetFileName), links);
        foreach (var link in links)
        {
            var path = Path.Combine(Dir, link);
            Assert.True(File.Exists(path), link);
            var svg = XDocument.Load(path);
            Assert.Equal(Svg + "svg", svg.Root!.Name);
        }
    }

    [Fact]
    public void Result_json_round_trips_through_ResultJson_and_renders_the_same_report_again()
    {
        var result = SampleResults.Lorenz();
        ReportWriter.WriteRun(Dir, result);
        var read = ResultJson.Read(Path.Combine(Dir, "result.json"));
        Assert.Equal(ResultJson.Serialize(result), ResultJson.Serialize(read));
        Assert.Equal(result.Equations.Select(e => e.MathML), read.Equations.Select(e => e.MathML));
        Assert.Equal(result.Series[0].Y["model"], read.Series[0].Y["model"]);
        Assert.Equal(ReportWriter.RenderHtml(result), ReportWriter.RenderHtml(read));
    }

    [Fact]
    public void Writing_a_new_report_removes_figures_the_old_one_had_but_keeps_other_files()
    {
        var first = ReportWriter.WriteAll(Dir, SampleResults.Lorenz());
        File.WriteAllText(Path.Combine(Dir, "plot-notes.svg"), "<svg/>");
        var second = ReportWriter.WriteAll(Dir, SampleResults.Regression());
        var figures = Directory.GetFiles(Dir, "plot-*.svg").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(second.Figures.Select(Path.GetFileName).Append("plot-notes.svg").Order().ToList(), figures);
        Assert.True(first.Figures.Count > second.Figures.Count);
    }

    [Fact]
    public void The_figures_include_derived_residuals_and_a_phase_portrait_for_dynamics()
    {
        var plots = ReportPlots.For(SampleResults.Lorenz());
        Assert.Equal(
            ["time", "residual", "time", "residual", "time", "residual", "phase", "pareto", "inclusion", "inclusion", "inclusion"],
            plots.Select(p => p.Plot.Kind));
        Assert.Equal(["pareto"], ReportPlots.For(SampleResults.Regression()).Select(p => p.Plot.Kind));
    }

    [Fact]
    public void How_sure_names_the_fit_noise_doubtful_terms_and_the_pareto_step_but_claims_no_exact_recovery()
    {
        var notes = ReportNotes.HowSure(SampleResults.Lorenz());
        Assert.Contains(notes, n => n.Contains("R² = 0.99931"));
        Assert.Contains(notes, n => n.Contains("No held-out data"));
        Assert.Contains(notes, n => n.Contains("1%") && n.Contains("option 'noise'"));
        Assert.Contains(notes, n => n.StartsWith("y':", StringComparison.Ordinal) && n.Contains("3 of 4 terms") && n.Contains("doubtful: z (46%, interval includes 0)"));
        Assert.Contains(notes, n => n.StartsWith("x':", StringComparison.Ordinal) && n.Contains("6000× the loss") && n.Contains("a clear step")
                                    && n.Contains("lower the loss by at most 2%"));
        Assert.Single(notes, n => n.StartsWith("z':", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("Savitzky-Golay"));
        Assert.DoesNotContain(notes, n => n.Contains("exact", StringComparison.OrdinalIgnoreCase) || n.Contains("proves", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("does not prove", ReportNotes.Caveat);
    }

    [Fact]
    public void An_empty_result_still_renders_a_valid_page()
    {
        var result = new DiscoveryResult { Method = "sindy", Interrupted = true };
        var files = ReportWriter.WriteAll(Dir, result);
        var document = ParseHtml(File.ReadAllText(files.Html));
        Assert.Contains("No equation was found", document.Root!.Value);
        Assert.Contains("stopped before it finished", document.Root!.Value);
        Assert.Empty(files.Figures);
        Assert.Contains("No equation was found", File.ReadAllText(files.Markdown));
    }

    [Fact]
    public void Series_with_gaps_mismatched_lengths_and_non_finite_losses_do_not_break_the_figures()
    {
        var result = SampleResults.Regression() with
        {
            Series =
            [
                new SeriesResult
                {
                    Title = "y over x", Kind = "time", X = [0, 1, 2, 3],
                    Y = new Dictionary<string, double[]> { ["data"] = [1, double.NaN, 3], ["model"] = [1, 2, double.PositiveInfinity, 4, 5] },
                },
                new SeriesResult { Title = "empty", Kind = "time", X = [], Y = new Dictionary<string, double[]>() },
            ],
            Pareto = [new ParetoPoint { Complexity = 1, Loss = 0, Expression = "x", Chosen = true }, new ParetoPoint { Complexity = 3, Loss = double.NaN, Expression = "x+1" }],
        };
        var files = ReportWriter.WriteAll(Dir, result);
        Assert.Equal(["time", "residual", "pareto"], ReportPlots.For(result).Select(p => p.Plot.Kind));
        ParseHtml(File.ReadAllText(files.Html));
    }

    [Fact]
    public void Only_reports_this_tool_wrote_count_as_generated()
    {
        var files = ReportWriter.WriteAll(Dir, SampleResults.Regression());
        Assert.True(ReportWriter.IsGeneratedReport(files.Html));
        Assert.True(ReportWriter.IsGeneratedReport(files.Markdown));
        Assert.True(ReportWriter.IsGeneratedReport(Path.Combine(Dir, "missing.html")));
        var mine = Path.Combine(Dir, "mine.html");
        File.WriteAllText(mine, "<html><body>my notes</body></html>");
        Assert.False(ReportWriter.IsGeneratedReport(mine));
    }
}

public sealed class ReportPartsTests
{
    [Theory]
    [InlineData("<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>x</mi><mo>+</mo><mn>1</mn></math>", "<mi>x</mi><mo>+</mo><mn>1</mn>")]
    [InlineData("<math><msup><mi>x</mi><mn>2</mn></msup></math>", "<msup><mi>x</mi><mn>2</mn></msup>")]
    [InlineData("<math><mo>&#x2212;</mo><mi>a&amp;b</mi></math>", "<mo>\u2212</mo><mi>a&amp;b</mi>")]
    [InlineData("<math><mi mathvariant=\"normal\">d</mi></math>", "<mi mathvariant=\"normal\">d</mi>")]
    public void Presentation_mathml_is_kept(string mathml, string expected) =>
        Assert.Equal(expected, EquationDisplay.SafeContent(mathml));

    [Theory]
    [InlineData("")]
    [InlineData("<math><mi>x</mi>")]
    [InlineData("<math><script>alert(1)</script></math>")]
    [InlineData("<math><mi onclick=\"alert(1)\">x</mi></math>")]
    [InlineData("<math><mi href=\"https://example.org\">x</mi></math>")]
    [InlineData("<math><mi xlink:href=\"x\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">x</mi></math>")]
    [InlineData("<svg><mi>x</mi></svg>")]
    [InlineData("<math><mi>x</mi></math><math><mi>y</mi></math>")]
    [InlineData("<!DOCTYPE math [<!ENTITY e \"x\">]><math><mi>&e;</mi></math>")]
    [InlineData("<math><mi>&nbsp;</mi></math>")]
    public void Anything_but_one_presentation_math_element_is_refused(string mathml) =>
        Assert.Null(EquationDisplay.SafeContent(mathml));

    [Theory]
    [InlineData("x'", "x", true)]
    [InlineData("dtheta/dt", "theta", true)]
    [InlineData("y", "y", false)]
    [InlineData("'", "'", false)]
    public void Targets_with_a_prime_or_d_dt_are_derivatives(string target, string name, bool derivative) =>
        Assert.Equal((name, derivative), EquationDisplay.ParseTarget(target));

    [Fact]
    public void Equations_get_a_left_hand_side_from_their_target()
    {
        var display = EquationDisplay.Of(Discovery.Results.EquationForms.Of("theta'", Symbolic.ExprModule.variable("omega"), 1));
        Assert.Equal(@"\frac{d\theta}{dt} = \omega", display.LatexEquation);
        Assert.Equal("theta' = omega", display.InfixEquation);
        Assert.Contains("<mfrac><mrow><mi>d</mi><mi>\u03B8</mi></mrow>", display.MathMLEquation);
    }

    [Fact]
    public void Displayed_equations_round_long_constants_but_keep_every_digit_in_the_other_forms()
    {
        var rhs = Symbolic.Parse.expression("2.5000585888930043*x^2 + sin(x)").ResultValue;
        var display = EquationDisplay.Of(Discovery.Results.EquationForms.Of("y", rhs, 8));
        Assert.Equal(@"y = 2.50006 x^{2} + \sin\left(x\right)", display.LatexEquation);
        Assert.Contains("2.5000585888930043", display.FullLatexEquation);
        Assert.Contains("<mn>2.50006</mn>", display.MathMLEquation);
        Assert.DoesNotContain("2.5000585888930043", display.MathMLEquation.Replace(display.LatexEquation, ""));
        Assert.Equal("y = 2.5000585888930043*x^2 + sin(x)", display.InfixEquation);
        Assert.Equal("2.50006*x^2 + sin(x)", EquationDisplay.RoundedInfix("2.5000585888930043*x^2 + sin(x)"));
        Assert.Equal("not ( an expression", EquationDisplay.RoundedInfix("not ( an expression"));
    }

    [Fact]
    public void A_learners_own_printed_forms_are_kept()
    {
        var rhs = Symbolic.Parse.expression("2.5000585888930043*x").ResultValue;
        var equation = Discovery.Results.EquationForms.Of("y", rhs, 3) with
        {
            MathML = "<math><mi>k</mi><mo>&#x2062;</mo><mi>x</mi></math>",
            Latex = "k x",
        };
        var display = EquationDisplay.Of(equation);
        Assert.Equal("y = k x", display.LatexEquation);
        Assert.Contains("<mi>k</mi>", display.MathMLEquation);
    }

    [Fact]
    public void Pareto_losses_of_zero_or_not_finite_sit_a_decade_below_the_smallest_positive_one()
    {
        var logs = ParetoFrontPlot.LogLosses([1e-3, 0, double.NaN, 10]);
        Assert.Equal([-3, -4, -4, 1], logs.Select(l => Math.Round(l, 12)));
    }

    [Theory]
    [InlineData(0.99931, 5, "0.99931")]
    [InlineData(1.234e-7, 3, "1.23e-7")]
    [InlineData(123456789.0, 4, "1.235e8")]
    [InlineData(0.0, 4, "0")]
    [InlineData(double.PositiveInfinity, 4, "∞")]
    [InlineData(-42.5, 4, "-42.5")]
    [InlineData(6000.0, 3, "6000")]
    public void Numbers_are_shown_plainly_or_with_an_exponent(double value, int digits, string expected) =>
        Assert.Equal(expected, ReportFormat.Number(value, digits));

    [Theory]
    [InlineData("r2", 0.9999999, "0.9999999")]
    [InlineData("r2", 0.99931, "0.99931")]
    [InlineData("r2_test", 1.0, "1")]
    [InlineData("mse", 0.99999999, "1")]
    [InlineData("evaluations", 1234567.0, "1,234,567")]
    public void An_r2_below_one_never_shows_as_one(string key, double value, string expected) =>
        Assert.Equal(expected, ReportFormat.Metric(key, value));

    [Theory]
    [InlineData("a|b", "a\\|b")]
    [InlineData("*x*_y_", "\\*x\\*\\_y\\_")]
    [InlineData("<b>", "&lt;b&gt;")]
    [InlineData("two\nlines", "two lines")]
    public void Markdown_text_cannot_become_markup(string text, string expected) =>
        Assert.Equal(expected, Discovery.Reports.HtmlText.Markdown(text));
}

public sealed class ReportPlotsTests
{
    [Fact]
    public void A_phase_series_pairs_its_curves_and_a_parity_series_gets_a_parity_plot()
    {
        double[] t = [0, 1, 2, 3];
        var result = new DiscoveryResult
        {
            Method = "sindy",
            Series =
            [
                new SeriesResult
                {
                    Title = "x against y", Kind = "phase", X = t,
                    Y = new Dictionary<string, double[]>
                    {
                        ["x data"] = [1, 2, 3, 4], ["y data"] = [4, 3, 2, 1], ["x model"] = [1, 2, 3, 4.1], ["y model"] = [4, 3, 2, 1.1],
                    },
                },
                new SeriesResult { Title = "y", Kind = "parity", X = [1, 2, 3], Y = new Dictionary<string, double[]> { ["model"] = [1.1, 1.9, 3] } },
            ],
        };
        var plots = ReportPlots.For(result);
        Assert.Equal(["phase", "parity"], plots.Select(p => p.Plot.Kind));
        var phase = Assert.IsType<PhasePortraitPlot>(plots[0].Plot);
        Assert.Equal(["data", "model"], phase.Curves.Select(c => c.Label));
        Assert.Equal([4, 3, 2, 1.1], phase.Curves[1].Vertical);
        Assert.Contains("<svg", plots[1].Plot.ToSvg());
    }

    [Fact]
    public void Inline_figures_get_their_own_ids_and_the_same_figure_renders_the_same_svg()
    {
        var plot = new ParetoFrontPlot(SampleResults.Regression().Pareto);
        var inline = plot.ToInlineSvg("f3-");
        var ids = System.Text.RegularExpressions.Regex.Matches(inline, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.StartsWith("f3-", id));
        Assert.DoesNotContain("<?xml", inline);
        Assert.Contains("viewBox=\"0 0 520 340\"", inline);
        Assert.Equal(new ParetoFrontPlot(SampleResults.Regression().Pareto).ToSvg(), plot.ToSvg());
    }
}
