using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Discovery.Results;
using static Discovery.Reports.HtmlText;

namespace Discovery.Reports;

/// <summary>
/// Renders <c>report.html</c>: one self-contained page (inline CSS, inline SVG figures, MathML equations, one small
/// inline script for the copy buttons) that opens with no network. The page is also well-formed XML, and a content
/// security policy forbids loading anything and runs only the page's own script. Everything that comes from the result
/// is escaped.
/// </summary>
public static class HtmlReport
{
    /// <summary>Marks a page as written by this tool (see <see cref="ReportWriter.IsGeneratedReport"/>).</summary>
    public const string GeneratorMarker = "<meta name=\"generator\" content=\"Discovery report";

    /// <summary>The HTML text of the report of <paramref name="content"/>.</summary>
    public static string Render(ReportContent content)
    {
        var result = content.Result;
        var html = new StringBuilder(64 * 1024);
        var scriptHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(CopyScript)));
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{scriptHash}'\"/>\n")
            .Append($"{GeneratorMarker} {Escape(ReportContent.WriterVersion)}\"/>\n")
            .Append($"<title>{Escape(content.Heading)} - Discovery report</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n<div class=\"page\">\n");

        Header(html, content);
        html.Append("<main>\n");
        EquationsSection(html, content);
        HowSureSection(html, content);
        FitSection(html, content);
        CandidatesSection(html, content);
        EnsembleSection(html, content);
        OptionsSection(html, result);
        ExtraSection(html, result);
        html.Append("</main>\n");
        html.Append("<footer>Written by Discovery ").Append(Escape(ReportContent.WriterVersion))
            .Append(" from <code>result.json</code>. Re-render this page and <code>report.md</code> with <code>discovery report DIR</code>.</footer>\n");
        html.Append("</div>\n<script>").Append(CopyScript).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Header(StringBuilder html, ReportContent content)
    {
        html.Append("<header class=\"top\">\n<p class=\"kicker\">Discovery report</p>\n")
            .Append($"<h1>{Escape(content.Heading)}</h1>\n<dl class=\"facts\">\n");
        foreach (var (label, value) in content.Facts)
        {
            var cls = label is "SHA-256" or "Input file" ? " class=\"mono\"" : "";
            html.Append($"<div><dt>{Escape(label)}</dt><dd{cls}>{Escape(value)}</dd></div>\n");
        }
        html.Append("</dl>\n");
        if (content.Result.Interrupted)
            html.Append("<p class=\"warning\">This run was stopped before it finished; the equations are the best it had found by then.</p>\n");
        html.Append("</header>\n");
    }

    private static void EquationsSection(StringBuilder html, ReportContent content)
    {
        html.Append("<section id=\"equations\">\n<h2>Discovered equations</h2>\n");
        if (content.Equations.Count == 0) html.Append("<p>No equation was found.</p>\n");
        foreach (var equation in content.Equations)
        {
            var source = equation.Source;
            html.Append("<div class=\"equation\">\n").Append(equation.MathMLEquation).Append('\n')
                .Append("<div class=\"eq-meta\">")
                .Append($"<span>complexity {source.Complexity}</span>");
            if (source.Loss is { } loss) html.Append($"<span>loss {Escape(ReportFormat.Number(loss))}</span>");
            if (source.Terms is { Count: > 0 } terms) html.Append($"<span>{terms.Count} term{(terms.Count == 1 ? "" : "s")}</span>");
            html.Append(CopyButton("Copy LaTeX", equation.LatexEquation)).Append("</div>\n");
            html.Append("<details><summary>Other forms, every digit (infix, LaTeX, SymPy, C#)</summary>\n<table class=\"forms\">\n");
            FormRow(html, "Infix", equation.InfixEquation);
            FormRow(html, "LaTeX", equation.FullLatexEquation);
            FormRow(html, "SymPy", source.Sympy);
            FormRow(html, "C#", source.CSharp);
            html.Append("</table>\n</details>\n</div>\n");
        }
        html.Append("</section>\n");
    }

    private static void FormRow(StringBuilder html, string label, string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        html.Append($"<tr><th>{Escape(label)}</th><td><code>{Escape(text)}</code></td><td>{CopyButton("Copy", text)}</td></tr>\n");
    }

    private static string CopyButton(string label, string text) =>
        $"<button type=\"button\" class=\"copy\" data-copy=\"{Escape(text)}\" title=\"Copy to the clipboard\">{Escape(label)}</button>";

    private static void HowSureSection(StringBuilder html, ReportContent content)
    {
        html.Append("<section id=\"how-sure\">\n<h2>How sure are we?</h2>\n<div class=\"sure\">\n<ul>\n");
        foreach (var note in content.HowSure) html.Append($"<li>{Escape(note)}</li>\n");
        html.Append("</ul>\n").Append($"<p class=\"caveat\">{Escape(ReportNotes.Caveat)}</p>\n</div>\n</section>\n");
    }

    private static void FitSection(StringBuilder html, ReportContent content)
    {
        var result = content.Result;
        html.Append("<section id=\"fit\">\n<h2>Fit</h2>\n<div class=\"tables\">\n");
        if (result.Metrics.Count > 0)
        {
            html.Append("<table class=\"metrics\">\n<thead><tr><th>Metric</th><th class=\"num\">Value</th></tr></thead>\n<tbody>\n");
            foreach (var (key, value) in result.Metrics)
                html.Append($"<tr><td title=\"{Escape(key)}\">{Escape(ReportFormat.MetricName(key))}</td><td class=\"num\">{Escape(ReportFormat.Metric(key, value))}</td></tr>\n");
            html.Append("</tbody>\n</table>\n");
        }
        else
        {
            html.Append("<p>No metrics were recorded.</p>\n");
        }
        if (result.Equations.Count > 0)
        {
            html.Append("<table class=\"per-equation\">\n<thead><tr><th>Equation</th><th class=\"num\">Complexity</th><th class=\"num\">Loss</th></tr></thead>\n<tbody>\n");
            foreach (var equation in result.Equations)
                html.Append($"<tr><td>{Escape(equation.Target)}</td><td class=\"num\">{equation.Complexity}</td>" +
                            $"<td class=\"num\">{(equation.Loss is { } l ? Escape(ReportFormat.Number(l)) : "")}</td></tr>\n");
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("</div>\n");
        Figures(html, content, PlotSection.Fit);
        html.Append("</section>\n");
    }

    private static void Figures(StringBuilder html, ReportContent content, PlotSection section)
    {
        var figures = content.Figures.Select((f, i) => (Figure: f, Index: i)).Where(t => t.Figure.Section == section).ToList();
        if (figures.Count == 0) return;
        html.Append("<div class=\"plots\">\n");
        foreach (var (figure, index) in figures)
        {
            html.Append($"<figure id=\"figure-{index + 1}\">\n")
                .Append(figure.Plot.ToInlineSvg($"f{index + 1}-")).Append('\n')
                .Append($"<figcaption><b>Figure {index + 1}.</b> {Escape(figure.Plot.Title)}. {Escape(figure.Plot.Caption)}</figcaption>\n</figure>\n");
        }
        html.Append("</div>\n");
    }

    private static void CandidatesSection(StringBuilder html, ReportContent content)
    {
        if (content.Result.Pareto.Count == 0) return;
        html.Append("<section id=\"candidates\">\n<h2>Candidates</h2>\n")
            .Append("<p>The best equation found at each complexity (constants rounded to six digits; hover for all). The chosen one is highlighted; the score rewards a large drop in loss for a small gain in complexity.</p>\n");
        Figures(html, content, PlotSection.Candidates);
        foreach (var group in content.ParetoByTarget)
        {
            if (group.Key.Length > 0) html.Append($"<h3>{Escape(group.Key)}</h3>\n");
            var scored = group.Any(p => p.Score is not null);
            html.Append("<table class=\"pareto\">\n<thead><tr><th class=\"num\">Complexity</th><th class=\"num\">Loss</th>")
                .Append(scored ? "<th class=\"num\">Score</th>" : "").Append("<th>Equation</th><th></th></tr></thead>\n<tbody>\n");
            foreach (var point in group)
            {
                html.Append(point.Chosen ? "<tr class=\"chosen\">" : "<tr>")
                    .Append($"<td class=\"num\">{point.Complexity}</td><td class=\"num\">{Escape(ReportFormat.Number(point.Loss))}</td>")
                    .Append(scored ? $"<td class=\"num\">{(point.Score is { } s ? Escape(ReportFormat.Number(s, 3)) : "")}</td>" : "")
                    .Append($"<td><code title=\"{Escape(point.Expression)}\">{Escape(EquationDisplay.RoundedInfix(point.Expression))}</code></td>")
                    .Append($"<td>{(point.Chosen ? "chosen" : "")}</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("</section>\n");
    }

    private static void EnsembleSection(StringBuilder html, ReportContent content)
    {
        var equations = content.EquationsWithTerms.ToList();
        if (equations.Count == 0) return;
        html.Append("<section id=\"terms\">\n<h2>Terms</h2>\n")
            .Append("<p>Each term with its coefficient and, for ensembles, the share of models that contain it and the range of its coefficient.</p>\n");
        Figures(html, content, PlotSection.Ensemble);
        html.Append("<div class=\"tables\">\n");
        foreach (var equation in equations)
        {
            html.Append($"<table class=\"terms\">\n<caption>{Escape(equation.Target)}</caption>\n")
                .Append("<thead><tr><th>Term</th><th class=\"num\">Coefficient</th><th class=\"num\">Inclusion</th><th class=\"num\">Interval</th></tr></thead>\n<tbody>\n");
            foreach (var term in equation.Terms!)
            {
                var interval = term.Low is { } lo && term.High is { } hi ? $"[{ReportFormat.Number(lo)}, {ReportFormat.Number(hi)}]" : "";
                var p = term.InclusionProbability is { } q ? ReportFormat.Percent(q) : "";
                html.Append($"<tr><td><code>{Escape(term.Term)}</code></td><td class=\"num\">{Escape(ReportFormat.Number(term.Coefficient))}</td>")
                    .Append($"<td class=\"num\">{Escape(p)}</td><td class=\"num\">{Escape(interval)}</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("</div>\n</section>\n");
    }

    private static void OptionsSection(StringBuilder html, DiscoveryResult result)
    {
        html.Append("<section id=\"options\">\n<h2>Options</h2>\n");
        if (result.Options.Count == 0)
        {
            html.Append("<p>No options were recorded.</p>\n</section>\n");
            return;
        }
        html.Append("<table class=\"options\">\n<thead><tr><th>Option</th><th>Value</th></tr></thead>\n<tbody>\n");
        foreach (var (key, value) in result.Options.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            html.Append($"<tr><td><code>{Escape(key)}</code></td><td><code>{Escape(value)}</code></td></tr>\n");
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>Longest method-specific JSON shown in the page; the full text stays in result.json.</summary>
    private const int ExtraLimit = 20_000;

    private static void ExtraSection(StringBuilder html, DiscoveryResult result)
    {
        if (result.Extra is not { Count: > 0 } extra) return;
        var json = JsonSerializer.Serialize(extra, ResultJson.Options);
        if (json.Length > ExtraLimit) json = json[..ExtraLimit] + "\n... (cut; the whole text is in result.json)";
        html.Append("<section id=\"method-data\">\n<h2>Method-specific data</h2>\n<details><summary>")
            .Append(Escape(string.Join(", ", extra.Keys))).Append("</summary>\n<pre>").Append(Escape(json)).Append("</pre>\n</details>\n</section>\n");
    }

    // The script may contain neither '<' nor '&' so that the page stays well-formed XML.
    private const string CopyScript = """
        (function () {
          function copied(button) {
            var label = button.textContent;
            button.textContent = 'Copied';
            setTimeout(function () { button.textContent = label; }, 1200);
          }
          function fallback(text, button) {
            var area = document.createElement('textarea');
            area.value = text;
            area.style.position = 'fixed';
            area.style.opacity = '0';
            document.body.appendChild(area);
            area.select();
            try { if (document.execCommand('copy')) { copied(button); } } catch (e) { }
            document.body.removeChild(area);
          }
          document.querySelectorAll('button.copy').forEach(function (button) {
            button.addEventListener('click', function () {
              var text = button.getAttribute('data-copy');
              if (navigator.clipboard) {
                navigator.clipboard.writeText(text).then(function () { copied(button); }, function () { fallback(text, button); });
              } else {
                fallback(text, button);
              }
            });
          });
        })();
        """;

    private const string Css = """

        :root { --ink: #1c2530; --muted: #5a6676; --line: #dfe4ea; --accent: #1f5fa8; --panel: #f5f7fa; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #fff;
          font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
        .page { max-width: 1140px; margin: 0 auto; padding: 32px 40px 48px; }
        header.top { border-bottom: 3px solid var(--accent); padding-bottom: 18px; margin-bottom: 8px; }
        .kicker { margin: 0; color: var(--accent); font-size: 13px; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; }
        h1 { margin: 4px 0 16px; font-size: 29px; font-weight: 650; line-height: 1.25; }
        h2 { margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); font-size: 21px; font-weight: 620; }
        h3 { margin: 20px 0 8px; font-size: 17px; }
        dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 8px 28px; margin: 0; }
        dl.facts div { min-width: 0; }
        dl.facts dt { color: var(--muted); font-size: 12px; letter-spacing: .04em; text-transform: uppercase; }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .mono, code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13.5px; }
        pre { background: var(--panel); padding: 12px; border-radius: 6px; overflow: auto; max-height: 480px; }
        .equation { margin: 14px 0; padding: 12px 20px 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
        .equation math { font-size: 1.4em; margin: 6px 0 10px; overflow-x: auto; overflow-y: hidden; }
        .eq-meta { display: flex; flex-wrap: wrap; align-items: center; gap: 18px; color: var(--muted); font-size: 14px; }
        button.copy { padding: 2px 10px; color: var(--accent); background: #fff; border: 1px solid #c9d3de; border-radius: 5px;
          font: inherit; font-size: 13px; cursor: pointer; }
        button.copy:hover { background: #eaf1fa; }
        details { margin-top: 8px; }
        details summary { color: var(--muted); font-size: 14px; cursor: pointer; }
        table { border-collapse: collapse; font-size: 14.5px; margin: 6px 0 14px; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { padding: 5px 12px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
        thead th { color: var(--muted); font-size: 13px; font-weight: 600; border-bottom: 2px solid var(--line); }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.forms code { overflow-wrap: anywhere; }
        table.forms th { width: 70px; }
        tr.chosen td { background: #eaf2fd; font-weight: 600; }
        .tables { display: flex; flex-wrap: wrap; gap: 12px 40px; align-items: flex-start; }
        .plots { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px; margin-top: 10px; }
        figure { margin: 0; padding: 10px 10px 8px; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
        figure svg { display: block; width: 100%; height: auto; }
        figcaption { margin-top: 6px; color: var(--muted); font-size: 13.5px; line-height: 1.45; }
        figcaption b { color: var(--ink); }
        .sure { padding: 6px 20px 4px; background: #fffaf0; border-left: 4px solid #d9a400; border-radius: 4px; }
        .sure ul { padding-left: 20px; }
        .sure li { margin: 4px 0; }
        .caveat { font-weight: 600; }
        .warning { padding: 8px 14px; background: #fff1f0; border: 1px solid #f3c2bd; border-radius: 6px; }
        footer { margin-top: 44px; padding-top: 12px; color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); }
        @media (max-width: 820px) { .plots { grid-template-columns: 1fr; } .page { padding: 18px; } }
        @media print { button.copy { display: none; } figure, .equation { break-inside: avoid; } }

        """;
}
