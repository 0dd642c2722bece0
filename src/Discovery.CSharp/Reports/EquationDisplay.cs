using System.Text;
using System.Xml;
using Discovery.Results;
using Symbolic;

namespace Discovery.Reports;

/// <summary>
/// An equation ready to show: the left-hand side from the target, the right-hand side from the stored forms.
/// <see cref="LatexEquation"/> and <see cref="MathMLEquation"/> are what the page shows (constants rounded for reading);
/// <see cref="InfixEquation"/> and <see cref="FullLatexEquation"/> keep every digit.
/// </summary>
public sealed record EquationDisplay(
    EquationResult Source, string InfixEquation, string LatexEquation, string FullLatexEquation, string MathMLEquation)
{
    private const string MathNamespace = "http://www.w3.org/1998/Math/MathML";

    /// <summary>Significant digits of approximate constants in displayed equations.</summary>
    public const int DisplayDigits = 6;

    /// <summary>
    /// The whole equation <c>lhs = rhs</c> of a result in infix, LaTeX and MathML. A target <c>x'</c> (or <c>dx/dt</c>)
    /// is shown as dx/dt. The right-hand side comes from <see cref="EquationResult.MathML"/> and
    /// <see cref="EquationResult.Latex"/>; when a stored form is exactly the core's full-precision print of
    /// <see cref="EquationResult.Expression"/>, it is printed again with constants rounded to <paramref name="digits"/>
    /// significant digits (forms a learner printed its own way are kept). When the MathML is missing, malformed or holds
    /// anything but presentation MathML, it is printed again from the expression by the core (or shown as plain text
    /// when that does not parse). The MathML carries the displayed LaTeX as <c>alttext</c>.
    /// </summary>
    public static EquationDisplay Of(EquationResult equation, int digits = DisplayDigits)
    {
        var (state, isDerivative) = ParseTarget(equation.Target);
        var parsed = Parse.expression(equation.Expression);
        var rhsExpr = parsed.IsOk ? parsed.ResultValue : null;
        var rounded = Print.withDigits(digits);

        string Shown(string stored, Func<Print.Options, Expr, string> print)
        {
            stored = stored.Trim();
            if (rhsExpr is null) return stored;
            return stored.Length == 0 || stored == print(Print.Options.Default, rhsExpr) ? print(rounded, rhsExpr) : stored;
        }

        var lhsLatex = isDerivative ? $@"\frac{{d{LatexName(state)}}}{{dt}}" : LatexName(state);
        var fullLatex = equation.Latex.Trim().Length > 0 ? equation.Latex.Trim()
            : rhsExpr is not null ? Print.latex(rhsExpr)
            : $@"\text{{{equation.Expression}}}";
        var shownLatex = rhsExpr is null ? fullLatex : Shown(equation.Latex, Print.latexWith);
        var latex = $"{lhsLatex} = {shownLatex}";

        var lhsMathML = isDerivative
            ? $"<mfrac><mrow><mi>d</mi>{MathMLName(state)}</mrow><mrow><mi>d</mi><mi>t</mi></mrow></mfrac>"
            : MathMLName(state);
        var rhsMathML = SafeContent(Shown(equation.MathML, Print.mathmlWith))
                        ?? (rhsExpr is not null ? SafeContent(Print.mathmlWith(rounded, rhsExpr)) : null)
                        ?? $"<mtext>{Escape(equation.Expression)}</mtext>";
        var mathml = $"<math xmlns=\"{MathNamespace}\" display=\"block\" alttext=\"{Escape(latex)}\">" +
                     $"<mrow>{lhsMathML}<mo>=</mo>{rhsMathML}</mrow></math>";
        return new EquationDisplay(equation, $"{equation.Target} = {equation.Expression}", latex, $"{lhsLatex} = {fullLatex}", mathml);
    }

    /// <summary>Infix text with approximate constants rounded to <paramref name="digits"/> significant digits when it
    /// parses; otherwise the text as it is.</summary>
    public static string RoundedInfix(string infix, int digits = DisplayDigits)
    {
        var parsed = Parse.expression(infix);
        return parsed.IsOk ? Print.infixWith(Print.withDigits(digits), parsed.ResultValue) : infix;
    }

    /// <summary>"x'" and "dx/dt" are derivatives of x; anything else is an output name.</summary>
    public static (string Name, bool IsDerivative) ParseTarget(string target)
    {
        var t = target.Trim();
        if (t.EndsWith('\'') && t.Length > 1) return (t[..^1].Trim(), true);
        if (t.Length > 4 && t.StartsWith('d') && t.EndsWith("/dt", StringComparison.Ordinal)) return (t[1..^3].Trim(), true);
        return (t, false);
    }

    private static string LatexName(string name) => IsSimpleName(name) ? Print.latex(ExprModule.variable(name)) : $@"\text{{{name}}}";

    private static string MathMLName(string name) =>
        IsSimpleName(name) ? SafeContent(Print.mathml(ExprModule.variable(name))) ?? $"<mi>{Escape(name)}</mi>" : $"<mi>{Escape(name)}</mi>";

    private static bool IsSimpleName(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private static string Escape(string text) => HtmlText.Escape(text);

    // ----- Presentation MathML, checked -----------------------------------------------------------------------------

    private static readonly HashSet<string> AllowedElements =
    [
        "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot",
        "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose",
    ];

    private static readonly HashSet<string> AllowedAttributes =
    [
        "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "form", "accent", "accentunder",
        "linethickness", "displaystyle", "scriptlevel", "columnalign", "rowalign", "largeop", "movablelimits",
        "symmetric", "minsize", "maxsize", "width", "height", "depth", "notation",
    ];

    /// <summary>
    /// The children of a <c>&lt;math&gt;</c> element rewritten from its parse (text escaped again), or null when the text
    /// is not well-formed XML, not a <c>math</c> element, or holds any element or attribute outside presentation MathML
    /// (scripts, links, event handlers): markup from a result file is never copied into the page as it is.
    /// </summary>
    public static string? SafeContent(string mathml)
    {
        if (string.IsNullOrWhiteSpace(mathml)) return null;
        var output = new StringBuilder();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreProcessingInstructions = true };
        try
        {
            using var reader = XmlReader.Create(new StringReader(mathml), settings);
            var depth = 0;
            var sawRoot = false;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (!AllowedElements.Contains(reader.LocalName) || (reader.NamespaceURI.Length > 0 && reader.NamespaceURI != MathNamespace))
                            return null;
                        if (depth == 0)
                        {
                            if (reader.LocalName != "math" || sawRoot) return null;
                            sawRoot = true;
                            if (!reader.IsEmptyElement) depth++;
                            continue;
                        }
                        if (reader.LocalName == "math") return null;
                        output.Append('<').Append(reader.LocalName);
                        var empty = reader.IsEmptyElement;
                        if (reader.MoveToFirstAttribute())
                        {
                            do
                            {
                                if (reader.Prefix == "xmlns" || reader.LocalName == "xmlns") continue;
                                if (!AllowedAttributes.Contains(reader.LocalName) || reader.Prefix.Length > 0) return null;
                                output.Append(' ').Append(reader.LocalName).Append("=\"").Append(Escape(reader.Value)).Append('"');
                            } while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }
                        if (empty) output.Append("/>");
                        else
                        {
                            output.Append('>');
                            depth++;
                        }
                        break;
                    case XmlNodeType.EndElement:
                        depth--;
                        if (depth > 0) output.Append("</").Append(reader.LocalName).Append('>');
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.SignificantWhitespace:
                        if (depth == 0) return null;
                        output.Append(Escape(reader.Value));
                        break;
                    case XmlNodeType.Whitespace:
                    case XmlNodeType.XmlDeclaration:
                        break;
                    default:
                        return null;
                }
            }
            return sawRoot && output.Length > 0 ? output.ToString() : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
