using System.Text;

namespace Discovery.Reports;

/// <summary>Escaping of text for HTML, XML and Markdown.</summary>
public static class HtmlText
{
    /// <summary>Text safe in HTML/XML element content and in double- or single-quoted attributes: &amp; &lt; &gt; " ' are
    /// replaced by references; control characters other than tab and newline are dropped (they are not valid XML).</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n' or '\r': sb.Append(c); break;
                case < ' ' or '\uFFFE' or '\uFFFF': break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Text for Markdown prose and table cells: one line, with the characters that Markdown or inline HTML
    /// would interpret backslash-escaped or replaced by references.</summary>
    public static string Markdown(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#' or '!' or '$' or '~': sb.Append('\\').Append(c); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\n' or '\r' or '\t': sb.Append(' '); break;
                case < ' ': break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// LaTeX for a Markdown <c>$$ ... $$</c> block on one line. A renderer without math support shows the block as
    /// Markdown with inline HTML, so '&lt;' and '&gt;' (from column names) become the TeX commands <c>\lt</c> and
    /// <c>\gt</c>: the same symbols in TeX, never a tag in HTML.
    /// </summary>
    public static string MarkdownMath(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': sb.Append(@"\lt{}"); break;
                case '>': sb.Append(@"\gt{}"); break;
                case '\n' or '\r' or '\t': sb.Append(' '); break;
                case < ' ': break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>An inline code span for a Markdown table cell holding <paramref name="text"/> on one line (pipes escaped as the
    /// table syntax requires), fenced with more backticks than it contains.</summary>
    public static string MarkdownCodeCell(string? text)
    {
        var value = (text ?? "").Replace('\n', ' ').Replace('\r', ' ').Replace("|", "\\|");
        var longest = 0;
        var run = 0;
        foreach (var c in value)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var fence = new string('`', longest + 1);
        var pad = value.StartsWith('`') || value.EndsWith('`') ? " " : "";
        return value.Length == 0 ? "" : fence + pad + value + pad + fence;
    }
}
