using System.CommandLine;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary><c>discovery mathml "&lt;formula&gt;"</c>: the formula as a presentation MathML element.</summary>
internal static class MathmlCommand
{
    public static Command Build(TextWriter output) =>
        FormulaCommand.Build("mathml", "Print a formula as presentation MathML (a <math> element for HTML).", Print.Format.MathML, output);
}
