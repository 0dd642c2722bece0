namespace Symbolic

/// Where and why text failed to parse: 1-based line and column of the offending character, and what was expected there.
type ParseError =
    { Line: int
      Column: int
      /// What was expected, e.g. "expected a number, a name or '('" (sometimes followed by what was found).
      Message: string }

    /// `line L, column C: expected ...`.
    override ToString: unit -> string

/// Parsing infix text into canonical expressions and equations.
///
/// Grammar, loosest first: `+ -` (left), `* /` (left), unary `- +`, `^` or `**` (right; the exponent may carry a sign,
/// `x^-2`), then atoms: numbers (`2`, `.5`, `1e-3`: integers are exact, the rest approximate), names, calls `f(a, b)` and
/// parentheses. `-x^2` is `-(x^2)`. Names resolve in order: operators of the table by name or alias (`sin`, `arcsin`,
/// `ln`, `square`; called with their arity, built through `Operator.Build`), `pi` and `e`, the caller's parameter names
/// (each becomes `Parameter(name, 1.0)`), then variables. A call of an unknown name, `h1(x, y)`, is a `Placeholder`.
/// Equations are `y = rhs`, `x' = rhs` or `dx/dt = rhs`; a system is equations separated by newlines or `;`, with `#`
/// starting a comment to the end of the line. No exception escapes for bad text: every failure is a `ParseError`.
///
/// Limits (docs/limits.md): at most `maxLength` characters; at most `maxDepth` nested levels, where a plain operand is
/// one and each parenthesis, call, sign and power exponent adds one (`--x`, `x^x^x` and `((x))` are three); integer
/// literals of at most `maxIntegerDigits` digits; decimals within the range of a double (no overflow to infinity, no
/// underflow to zero). Sums and products stay flat however long, so every tree the parser returns is at most about
/// `maxDepth` deep.
[<RequireQualifiedAccess>]
module Parse =
    /// The longest text accepted, in characters.
    val maxLength: int

    /// The deepest nesting accepted (parentheses, calls, signs and power exponents each open one level).
    val maxDepth: int

    /// The most digits of an integer literal.
    val maxIntegerDigits: int

    /// A piece of user text fit to quote in a one-line error message: control and format characters escaped
    /// (`\x1b`), cut to its first 60 characters with its full length noted.
    val excerpt: text: string -> string

    /// How names resolve.
    type Options =
        { /// Names that parse as fittable parameters (`Parameter(name, 1.0)`) instead of variables.
          Parameters: Set<string> }

        /// No parameters: every free name is a variable.
        static member Default: Options

    /// Options that make the given names parameters.
    val withParameters: names: string seq -> Options

    /// Parses one expression with the given options.
    val expressionWith: options: Options -> text: string -> Result<Expr, ParseError>

    /// Parses one expression; free names are variables.
    val expression: text: string -> Result<Expr, ParseError>

    /// Parses one equation (`y = rhs`, `x' = rhs`, `dx/dt = rhs`) with the given options.
    val equationWith: options: Options -> text: string -> Result<Equation, ParseError>

    /// Parses one equation; free names are variables.
    val equation: text: string -> Result<Equation, ParseError>

    /// Parses equations separated by newlines or `;` (blank lines and `#` comments skipped) with the given options.
    val systemWith: options: Options -> text: string -> Result<Equation list, ParseError>

    /// Parses equations separated by newlines or `;`; free names are variables.
    val system: text: string -> Result<Equation list, ParseError>
