namespace Symbolic

/// Printing expressions and equations as infix text, LaTeX, MathML, SymPy and C#.
///
/// All printers render the same display tree (see `Display`): sums show negative terms with `-`, products with
/// negative powers show as fractions, `x^(1/2)` as a square root, numbers last in sums. Parentheses follow precedence.
/// Infix text parses back (`Parse.expression`) to an equal expression: exact rationals print as `p/q`, approximate
/// numbers in round-trip form with a `.` or an exponent, so that they stay approximate. With `Digits`, approximate
/// numbers are rounded to that many significant digits for display (the text then no longer round-trips exactly).
[<RequireQualifiedAccess>]
module Print =
    /// How constants and parameters are shown.
    type Options =
        { /// Significant digits of approximate numbers; None prints them in full (round-trip form).
          Digits: int option
          /// Show parameters as their current values instead of their names.
          ParameterValues: bool }

        /// Full precision, parameters by name.
        static member Default: Options

    /// Default options with approximate numbers rounded to `digits` significant digits.
    val withDigits: digits: int -> Options

    /// An output language.
    [<RequireQualifiedAccess>]
    type Format =
        /// Infix text that `Parse` reads back: `x^2 - 2*sin(y)/3`.
        | Infix
        /// LaTeX math-mode source: `x^{2} - \frac{2 \sin\left(y\right)}{3}`.
        | Latex
        /// A complete presentation MathML element, `<math xmlns="http://www.w3.org/1998/Math/MathML">...</math>`.
        | MathML
        /// Text that SymPy's `sympify` reads: `x**2 - 2*sin(y)/3`.
        | SymPy
        /// A C# expression of type double over variables and parameters named as in the expression (names that are C#
        /// keywords get an `@` prefix), with `Math.*` calls: `Math.Pow(x, 2.0) - 2.0 * Math.Sin(y) / 3.0`.
        | CSharp

    /// Writes an expression in a format through `write`, piece by piece (a StringBuilder, a TextWriter, ...).
    val write: format: Format -> options: Options -> write: (string -> unit) -> expr: Expr -> unit

    /// An expression in a format, as a string.
    val format: format: Format -> options: Options -> expr: Expr -> string

    /// Infix text that parses back to an equal expression.
    val infix: expr: Expr -> string

    /// Infix text with options (rounded constants no longer round-trip exactly).
    val infixWith: options: Options -> expr: Expr -> string

    /// LaTeX math-mode source.
    val latex: expr: Expr -> string

    /// LaTeX math-mode source with options.
    val latexWith: options: Options -> expr: Expr -> string

    /// A complete `<math>` element of presentation MathML.
    val mathml: expr: Expr -> string

    /// A complete `<math>` element with options.
    val mathmlWith: options: Options -> expr: Expr -> string

    /// Presentation MathML without the `<math>` wrapper (one `<mrow>` or token element), to embed in a larger formula.
    val mathmlContent: options: Options -> expr: Expr -> string

    /// Text for SymPy's `sympify`.
    val sympy: expr: Expr -> string

    /// Text for SymPy's `sympify` with options.
    val sympyWith: options: Options -> expr: Expr -> string

    /// A C# expression of type double (see `Format.CSharp` for how names map).
    val csharp: expr: Expr -> string

    /// A C# expression with options.
    val csharpWith: options: Options -> expr: Expr -> string

    /// An equation in a format: `y = rhs` / `x' = rhs` (infix), `\frac{dx}{dt} = ...` (LaTeX), a `<math>` element
    /// (MathML), `Eq(y, rhs)` / `Eq(Derivative(x, t), rhs)` (SymPy), `y = rhs;` / `dx_dt = rhs;` (C#).
    val equation: format: Format -> options: Options -> equation: Equation -> string

    /// Infix text of an equation that `Parse.equation` reads back.
    val infixEquation: equation: Equation -> string

    /// A system of equations in a format: one per line (infix, C#), an `aligned` block (LaTeX), an `mtable` (MathML),
    /// a list `[Eq(...), ...]` (SymPy). Infix text parses back with `Parse.system`.
    val system: format: Format -> options: Options -> equations: Equation list -> string
