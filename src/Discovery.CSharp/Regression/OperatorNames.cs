using Symbolic;

namespace Discovery.Regression;

/// <summary>Reads operator lists as users write them: symbols (+ - * / ^) or names from the operator table.</summary>
public static class OperatorNames
{
    /// <summary>Splits a list such as "+,-,*,/,sin,exp" into binary and unary operator names of the table.</summary>
    /// <exception cref="ArgumentException">An unknown operator, with the known ones listed.</exception>
    public static (string[] Binary, string[] Unary) Parse(string list)
    {
        var binary = new List<string>();
        var unary = new List<string>();
        foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = raw switch
            {
                "+" => "add",
                "-" => "sub",
                "*" => "mul",
                "/" => "div",
                "^" or "**" => "pow",
                _ => raw,
            };
            var op = Operators.tryFind(name);
            if (op is null)
                throw new ArgumentException(
                    $"unknown operator '{raw}' (known: + - * / ^ and {string.Join(", ", Operators.all().Select(o => o.Name))})");
            var target = op.Value.Arity == 2 ? binary : unary;
            if (!target.Contains(op.Value.Name)) target.Add(op.Value.Name);
        }
        if (binary.Count == 0) throw new ArgumentException("the operator list needs at least one binary operator (e.g. +,*)");
        return (binary.ToArray(), unary.ToArray());
    }
}
