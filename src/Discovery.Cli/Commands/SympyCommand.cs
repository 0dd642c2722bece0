using System.CommandLine;
using Symbolic;

namespace Discovery.Cli.Commands;

/// <summary><c>discovery sympy "&lt;formula&gt;"</c>: the formula as text for SymPy's <c>sympify</c>.</summary>
internal static class SympyCommand
{
    public static Command Build(TextWriter output) =>
        FormulaCommand.Build("sympy", "Print a formula as SymPy text (for sympify).", Print.Format.SymPy, output);
}
