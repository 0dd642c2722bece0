using System.Text;
using Discovery.Neural;
using Discovery.Results;
using Symbolic;

namespace Discovery.Exports;

/// <summary>The forms an equation can be exported to, from the API and from <c>discovery export</c>.</summary>
public enum ExportFormat
{
    Latex,
    Sympy,
    CSharp,
}

/// <summary>
/// Exports discovered equations: as text (LaTeX, SymPy, C# source of a <c>Func</c>), as a compiled .NET delegate, and as
/// a TorchSharp module whose constants are trainable parameters.
/// </summary>
public static class EquationExport
{
    /// <summary>The equations of a result in one form, one per line (C#: one <c>Func</c> declaration per equation).</summary>
    public static string Text(DiscoveryResult result, ExportFormat format)
    {
        var text = new StringBuilder();
        foreach (var equation in result.Equations)
            text.AppendLine(Text(equation, format));
        return text.ToString();
    }

    /// <summary>One equation in one form.</summary>
    public static string Text(EquationResult equation, ExportFormat format) => format switch
    {
        ExportFormat.Latex => $"{LatexTarget(equation.Target)} = {equation.Latex}",
        ExportFormat.Sympy => $"Eq({SympyTarget(equation.Target)}, {equation.Sympy})",
        ExportFormat.CSharp => CSharpFunc(equation),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>A compiled delegate of the equation's right-hand side over its variables (sorted by name).</summary>
    public static (Func<double[], double> Function, string[] Variables) Compile(EquationResult equation)
    {
        var expr = Algebra.Parse(equation.Expression);
        var variables = ExprModule.variables(expr).ToArray();
        return (Algebra.CompileDelegate(expr, variables), variables);
    }

    /// <summary>A TorchSharp module of the equation's right-hand side (inputs: its variables sorted by name).</summary>
    public static ExpressionModule ToTorchModule(EquationResult equation)
    {
        var expr = Algebra.Parse(equation.Expression);
        return new ExpressionModule(expr, ExprModule.variables(expr).ToArray());
    }

    private static string CSharpFunc(EquationResult equation)
    {
        var expr = Algebra.Parse(equation.Expression);
        var variables = ExprModule.variables(expr).ToArray();
        var name = Identifier(equation.Target);
        var types = string.Join(", ", Enumerable.Repeat("double", variables.Length + 1));
        var parameters = string.Join(", ", variables.Select(v => Print.csharp(Expr.NewVariable(v))));
        return $"Func<{types}> {name} = ({parameters}) => {Print.csharp(expr)};";
    }

    private static string Identifier(string target)
    {
        var derivative = target.EndsWith('\'');
        var name = new string(target.TrimEnd('\'').Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
        if (name.Length == 0 || char.IsDigit(name[0])) name = "_" + name;
        return derivative ? $"d{name}_dt" : name;
    }

    private static string LatexTarget(string target) =>
        target.EndsWith('\'') ? $"\\frac{{d{target.TrimEnd('\'')}}}{{dt}}" : target;

    private static string SympyTarget(string target) =>
        target.EndsWith('\'') ? $"Derivative({target.TrimEnd('\'')}(t), t)" : $"Symbol('{target}')";
}
