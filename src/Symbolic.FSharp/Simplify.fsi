namespace Symbolic

/// The simplifier: rewrites an expression to a canonical simplified form.
///
/// The smart constructors of `Expr` already flatten and order sums and products, collect like terms, fold exact
/// numbers, combine equal bases (`x*x = x^2`, `x/x = 1`) and powers of powers for a whole outer exponent. On top of
/// that `simplify` applies, bottom-up and until nothing changes (at most `maxPasses` passes):
///
/// - Numbers: a closed sub-expression containing an approximate number folds to one approximate number
///   (`0.5*pi`, `sin(0.3)`); exact ones stay exact (`sin(2)`, `sqrt(2)` stay). Exact values: sin/cos/tan at rational
///   multiples of pi with simple forms (pi/6, pi/4, pi/3, pi/2, ...), exp(0) = 1, exp(1) = e, log(1) = 0, log(e) = 1,
///   log10(10^k) = k, sinh/tanh/asin/atan/erf(0) = 0, cosh(0) = 1, acos(0) = pi/2, acos(1) = 0, asin(1) = pi/2,
///   atan(1) = pi/4, abs/sign/relu/max/min of closed arguments with a known sign or order.
/// - Operators are rebuilt through the operator table (`square(x)` is `x^2`, `sqrt(x)` is `x^(1/2)`, `ln` is `log`).
///   A number times a sum is distributed, `2*(x + y) = 2*x + 2*y` (as SymPy does); other products of sums are kept.
/// - Roots of numbers: n^(p/q) for a positive integer n has its whole part split off and q-th powers taken out
///   (2^(3/2) = 2*sqrt(2), 1/sqrt(2) = sqrt(2)/2, sqrt(12) = 2*sqrt(3)); a^e*b^e = (a*b)^e for positive numbers a, b.
/// - Exponentials: e^u = exp(u); exp(a)*exp(b) = exp(a + b); exp(a)^p = exp(p*a); log(exp(u)) = u (all real u);
///   exp(log(u)) = u and exp(c*log(u) + r) = u^c*exp(r) (u > 0; used everywhere, as the left side is undefined
///   elsewhere); log(u^a) = a*log(u) for numeric a not even and a*log(|u|) for even a (valid wherever the left side
///   is); log(1/n) = -log(n). log(x*y) is NOT split into log(x) + log(y) (false for x, y < 0).
/// - Powers: (b^a)^c = b^(a*c) when a is an odd whole number or not whole (b >= 0 wherever b^a is defined) and
///   |b|^(a*c) when a is even, so sqrt(x^2) = |x| and (x^2)^(3/2) = |x|^3; (x^a)^c for a symbolic a is kept unless c is
///   a whole number. |u|^n = u^n for even n; (c*u)^a = c^a*u^a for a number c > 0.
/// - abs: |u| = u when u is syntactically non-negative (even powers, exp, cosh, abs, sums and products of such),
///   |c*u| = |c|*|u| for a number c, |u^n| = |u|^n for odd n, |-u| = |u|; sign and relu alike.
/// - Trigonometry: parity (sin, tan, sinh, tanh, asin, atan, erf odd; cos, cosh even), so sin(-x) = -sin(x) and
///   cos(y - x) = cos(x - y); shifts by multiples of pi/2 (sin(x + pi/2) = cos(x), cos(x + pi) = -cos(x)) and reduction
///   modulo the period; sin(asin(u)) = u, cos(acos(u)) = u, tan(atan(u)) = u (where the left side is defined);
///   a*sin(u)^2*R + b*cos(u)^2*R = b*R + (a - b)*sin(u)^2*R (so sin^2 + cos^2 = 1); c*R - c*sin(u)^2*R = c*cos(u)^2*R
///   and the same with sin and cos swapped; a*cosh(u)^2*R + b*sinh(u)^2*R = a*R + (a + b)*sinh(u)^2*R; 1 + sinh^2 =
///   cosh^2; cosh^2 - 1 = sinh^2; sin(u)^p*cos(u)^-p = tan(u)^p. asin(sin(u)) and atan(tan(u)) are NOT reduced.
///
/// Domain rule: every rewrite keeps the value at every point where the input is defined (real, finite); a few extend
/// the domain (x/x = 1 at x = 0, exp(log(x)) = x for x <= 0, sqrt(x)^2 = x for x < 0), never the other way round.
/// Products and powers of sums are not multiplied out by `simplify`; use `expand`, then `collect` to group.
[<RequireQualifiedAccess>]
module Simplify =
    /// The most bottom-up passes `simplify` makes while the expression still changes.
    val maxPasses: int

    /// The simplified canonical form of `e`; the value is unchanged wherever `e` is defined.
    val simplify: e: Expr -> Expr

    /// `e` simplified, with products and whole powers of sums multiplied out (up to `Expansion.maxTerms` terms each).
    val expand: e: Expr -> Expr

    /// `e` expanded, with terms grouped by their factors that depend on `name` (a variable or parameter):
    /// `x*y + x + y*x^2` collected in x is `x*(1 + y) + y*x^2`.
    val collect: name: string -> e: Expr -> Expr
