using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.Neural.Prose;

/// <summary>
/// Terms of expanded expressions as SINDy sees them: a right-hand side is a sum of coefficient × monomial. Used to
/// compare a decoded system with the truth by its set of terms ("the same family"), and to refit its coefficients.
/// </summary>
public static class ProseTerms
{
    /// <summary>The terms of <paramref name="expression"/>: the operands of a sum, or the expression itself.</summary>
    public static IReadOnlyList<Expr> Terms(Expr expression) =>
        expression is Expr.Sum sum ? sum.Item.ToArray() : [expression];

    /// <summary>A term split into its numeric coefficient and the rest (1 for a constant term): 3*x*y is (3, x*y).</summary>
    public static (double Coefficient, Expr Monomial) Split(Expr term)
    {
        switch (term)
        {
            case Expr.Number n: return (n.Item.ToFloat(), ExprModule.one);
            case Expr.Approx a: return (a.Item, ExprModule.one);
            case Expr.Product p when p.Item.Head is Expr.Number or Expr.Approx:
            {
                var coefficient = p.Item.Head is Expr.Number n ? n.Item.ToFloat() : ((Expr.Approx)p.Item.Head).Item;
                var rest = p.Item.Tail;
                return (coefficient, rest.Tail.IsEmpty ? rest.Head : ExprModule.product(rest));
            }
            default: return (1, term);
        }
    }

    /// <summary>The monomials of each component, as sorted infix strings (the family's "term set").</summary>
    public static IReadOnlyList<string[]> TermSets(IReadOnlyList<Expr> components) =>
        components.Select(c => Terms(c).Select(t => Print.infix(Split(t).Monomial)).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray())
            .ToArray();

    /// <summary>True when both systems have the same number of components and the same monomials in each.</summary>
    public static bool SameTerms(IReadOnlyList<Expr> a, IReadOnlyList<Expr> b)
    {
        if (a.Count != b.Count) return false;
        var sa = TermSets(a);
        var sb = TermSets(b);
        return sa.Zip(sb).All(p => p.First.SequenceEqual(p.Second));
    }

    /// <summary>Σ coefficient_k × monomial_k, canonical.</summary>
    public static Expr Assemble(IReadOnlyList<Expr> monomials, IReadOnlyList<double> coefficients) =>
        ExprModule.sum(ListModule.OfSeq(monomials.Select((m, k) => ExprModule.multiply(ExprModule.approx(coefficients[k]), m))));
}
