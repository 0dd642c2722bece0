using Symbolic;

namespace Discovery.Results;

/// <summary>Turns core expressions into <see cref="EquationResult"/>s with every printed form.</summary>
public static class EquationForms
{
    /// <summary>The equation <paramref name="target"/> = <paramref name="rhs"/> in infix, LaTeX, MathML, SymPy and C#.</summary>
    public static EquationResult Of(string target, Expr rhs, int complexity, double? loss = null, int? digits = null)
    {
        var options = digits is { } d ? Print.withDigits(d) : Print.Options.Default;
        return new EquationResult
        {
            Target = target,
            Expression = Print.infixWith(options, rhs),
            Latex = Print.latexWith(options, rhs),
            MathML = Print.mathmlWith(options, rhs),
            Sympy = Print.sympyWith(options, rhs),
            CSharp = Print.csharpWith(options, rhs),
            Complexity = complexity,
            Loss = loss,
        };
    }
}
