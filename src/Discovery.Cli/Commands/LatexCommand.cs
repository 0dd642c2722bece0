using System.CommandLine;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary><c>discovery latex "&lt;formula&gt;"</c>: the formula as LaTeX math-mode source.</summary>
internal static class LatexCommand
{
    public static Command Build(TextWriter output) =>
        FormulaCommand.Build("latex", "Print a formula as LaTeX (math mode).", Print.Format.Latex, output);
}
