namespace Symbolic

open System
open System.Globalization
open System.Text

[<RequireQualifiedAccess>]
module Print =
    type Options =
        { Digits: int option
          ParameterValues: bool }

        static member Default = { Digits = None; ParameterValues = false }

    let withDigits (digits: int) = { Options.Default with Digits = Some digits }

    [<RequireQualifiedAccess>]
    type Format =
        | Infix
        | Latex
        | MathML
        | SymPy
        | CSharp

    let private invariant = CultureInfo.InvariantCulture

    // ----- Shared pieces --------------------------------------------------------------------------------------------

    /// A finite non-negative double: round-trip form, or rounded to the chosen digits; always with '.' or an exponent
    /// so that it reads back as an approximate number.
    let private decimalText (options: Options) (x: float) =
        let text =
            match options.Digits with
            | Some d -> x.ToString("G" + string (max 1 (min 17 d)), invariant)
            | None -> x.ToString("R", invariant)
        if text.Contains '.' || text.Contains 'E' then text else text + ".0"

    /// Mantissa and power of ten of a decimal's text: "1.5E-05" is ("1.5", Some -5).
    let private splitExponent (text: string) =
        match text.IndexOf 'E' with
        | -1 -> text, None
        | i -> text.Substring(0, i), Some(Int32.Parse(text.Substring(i + 1), invariant))

    /// Binding strength in infix notation: loosest 1 (sums) to 5 (atoms).
    let private precedence (d: Display) =
        match d with
        | Display.Sum _ -> 1
        | Display.Negate _ -> 2
        | Display.Product _
        | Display.Fraction _ -> 3
        | Display.Power _ -> 4
        | _ -> 5

    /// Renders through a StringBuilder what a printer writes.
    let private render (writer: (string -> unit) -> unit) =
        let sb = StringBuilder()
        writer (fun (s: string) -> sb.Append s |> ignore)
        sb.ToString()

    let private tryOperator (name: string) = Operators.tryFind name

    /// Writes items separated by `separator`.
    let private writeSeparated (w: string -> unit) (separator: string) (writeItem: 'a -> unit) (items: 'a list) =
        items
        |> List.iteri (fun i item ->
            if i > 0 then w separator
            writeItem item)

    /// Sums, negations, products and fractions, written the same way by the infix, SymPy and C# printers:
    /// `atLeast level d` writes `d`, in parentheses when it binds looser than `level`.
    let private writeArithmetic (w: string -> unit) (atLeast: int -> Display -> unit) (times: string) (over: string) (d: Display) =
        match d with
        | Display.Sum terms ->
            terms
            |> List.iteri (fun i (minus, term) ->
                match i, minus with
                | 0, false -> atLeast 2 term
                | 0, true -> w "-"; atLeast 3 term
                | _, false -> w " + "; atLeast 2 term
                | _, true -> w " - "; atLeast 3 term)
        | Display.Negate inner ->
            w "-"
            atLeast 3 inner
        | Display.Product factors -> writeSeparated w times (atLeast 3) factors
        | Display.Fraction(top, bottom) ->
            atLeast 3 top
            w over
            atLeast 4 bottom
        | _ -> invalidArg "d" "not a sum, negation, product or fraction"

    // ----- Infix and SymPy ------------------------------------------------------------------------------------------

    type private TextStyle =
        { Power: string
          Constant: Constant -> string
          NonFinite: float -> string
          Call: Operator -> string list -> string }

    let private infixStyle =
        { Power = "^"
          Constant = (function Pi -> "pi" | E -> "e")
          NonFinite = fun x -> if Double.IsNaN x then "(0.0/0.0)" else "(1.0/0.0)"
          Call = fun op args -> sprintf "%s(%s)" op.Name (String.Join(", ", args)) }

    let private sympyStyle =
        { Power = "**"
          Constant = (function Pi -> "pi" | E -> "E")
          NonFinite = fun x -> if Double.IsNaN x then "nan" else "oo"
          Call = fun op args -> op.SymPy args }

    let rec private writeText (style: TextStyle) (options: Options) (w: string -> unit) (d: Display) : unit =
        let go = writeText style options w
        let atLeast level (inner: Display) =
            if precedence inner < level then
                w "("
                go inner
                w ")"
            else go inner
        let call (name: string) (args: Display list) =
            let texts = args |> List.map (fun a -> render (fun w' -> writeText style options w' a))
            match tryOperator name with
            | Some op -> w (style.Call op texts)
            | None -> w (sprintf "%s(%s)" name (String.Join(", ", texts)))
        match d with
        | Display.Integer n -> w (n.ToString(invariant))
        | Display.Decimal x when Double.IsFinite x -> w (decimalText options x)
        | Display.Decimal x -> w (style.NonFinite x)
        | Display.Constant c -> w (style.Constant c)
        | Display.Variable v
        | Display.Parameter v -> w v
        | Display.Sum _ | Display.Negate _ | Display.Product _ | Display.Fraction _ -> writeArithmetic w atLeast "*" "/" d
        | Display.Power(b, e) ->
            atLeast 5 b
            w style.Power
            atLeast 4 e
        | Display.SquareRoot inner ->
            w "sqrt("
            go inner
            w ")"
        | Display.Call(name, args) -> call name args
        | Display.Placeholder(name, args) ->
            w name
            w "("
            writeSeparated w ", " go args
            w ")"

    // ----- C# -------------------------------------------------------------------------------------------------------

    let private csharpKeywords =
        set [ "abstract"; "as"; "base"; "bool"; "break"; "byte"; "case"; "catch"; "char"; "checked"; "class"; "const"
              "continue"; "decimal"; "default"; "delegate"; "do"; "double"; "else"; "enum"; "event"; "explicit"; "extern"
              "false"; "finally"; "fixed"; "float"; "for"; "foreach"; "goto"; "if"; "implicit"; "in"; "int"; "interface"
              "internal"; "is"; "lock"; "long"; "namespace"; "new"; "null"; "object"; "operator"; "out"; "override"
              "params"; "private"; "protected"; "public"; "readonly"; "ref"; "return"; "sbyte"; "sealed"; "short"
              "sizeof"; "stackalloc"; "static"; "string"; "struct"; "switch"; "this"; "throw"; "true"; "try"; "typeof"
              "uint"; "ulong"; "unchecked"; "unsafe"; "ushort"; "using"; "virtual"; "void"; "volatile"; "while" ]

    let private csharpName (name: string) = if csharpKeywords.Contains name then "@" + name else name

    let private csharpPrecedence (d: Display) =
        match d with
        | Display.Power _ -> 5
        | _ -> precedence d

    let rec private writeCSharp (options: Options) (w: string -> unit) (d: Display) : unit =
        let go = writeCSharp options w
        let atLeast level (inner: Display) =
            if csharpPrecedence inner < level then
                w "("
                go inner
                w ")"
            else go inner
        let text (a: Display) = render (fun w' -> writeCSharp options w' a)
        match d with
        | Display.Integer n -> w (n.ToString(invariant) + ".0")
        | Display.Decimal x when Double.IsNaN x -> w "double.NaN"
        | Display.Decimal x when Double.IsInfinity x -> w "double.PositiveInfinity"
        | Display.Decimal x -> w (decimalText options x)
        | Display.Constant Pi -> w "Math.PI"
        | Display.Constant E -> w "Math.E"
        | Display.Variable v
        | Display.Parameter v -> w (csharpName v)
        | Display.Sum _ | Display.Negate _ | Display.Product _ | Display.Fraction _ -> writeArithmetic w atLeast " * " " / " d
        | Display.Power(b, e) -> w (sprintf "Math.Pow(%s, %s)" (text b) (text e))
        | Display.SquareRoot inner -> w (sprintf "Math.Sqrt(%s)" (text inner))
        | Display.Call(name, args) ->
            let texts = List.map text args
            match tryOperator name with
            | Some op -> w (op.CSharp texts)
            | None -> w (sprintf "%s(%s)" (csharpName name) (String.Join(", ", texts)))
        | Display.Placeholder(name, args) -> w (sprintf "%s(%s)" (csharpName name) (String.Join(", ", List.map text args)))

    // ----- Names in LaTeX and MathML ----------------------------------------------------------------------------------

    /// Greek letter names with their Unicode code points (lower case; upper case where the letter differs from Latin).
    let private greek =
        [ "alpha", 0x3B1; "beta", 0x3B2; "gamma", 0x3B3; "delta", 0x3B4; "epsilon", 0x3B5; "zeta", 0x3B6; "eta", 0x3B7
          "theta", 0x3B8; "iota", 0x3B9; "kappa", 0x3BA; "lambda", 0x3BB; "mu", 0x3BC; "nu", 0x3BD; "xi", 0x3BE
          "pi", 0x3C0; "rho", 0x3C1; "sigma", 0x3C3; "tau", 0x3C4; "upsilon", 0x3C5; "phi", 0x3C6; "chi", 0x3C7
          "psi", 0x3C8; "omega", 0x3C9; "Gamma", 0x393; "Delta", 0x394; "Theta", 0x398; "Lambda", 0x39B; "Xi", 0x39E
          "Pi", 0x3A0; "Sigma", 0x3A3; "Upsilon", 0x3A5; "Phi", 0x3A6; "Psi", 0x3A8; "Omega", 0x3A9 ]
        |> Map.ofList

    let private isDigits (s: string) = s.Length > 0 && s |> Seq.forall Char.IsDigit

    /// A name as base and subscript: `x_0` is (x, 0), `theta1` is (theta, 1), `g_` is (g, ""), `mass` has none.
    let private splitName (name: string) =
        let underscore = name.IndexOf '_'
        if underscore > 0 then name.Substring(0, underscore), Some(name.Substring(underscore + 1))
        else
            let digits = name |> Seq.rev |> Seq.takeWhile Char.IsDigit |> Seq.length
            if underscore < 0 && digits > 0 && digits < name.Length then
                name.Substring(0, name.Length - digits), Some(name.Substring(name.Length - digits))
            else name, None

    let private latexEscape (s: string) =
        let sb = StringBuilder()
        for c in s do
            match c with
            | '_' | '#' | '$' | '%' | '&' | '{' | '}' -> sb.Append('\\').Append(c) |> ignore
            | '\\' -> sb.Append(@"\backslash ") |> ignore
            | c -> sb.Append c |> ignore
        sb.ToString()

    let private latexPart (part: string) =
        if greek.ContainsKey part then "\\" + part
        elif part.Length = 1 || isDigits part then latexEscape part
        else sprintf @"\mathrm{%s}" (latexEscape part)

    let private latexName (name: string) =
        match splitName name with
        | b, None -> latexPart b
        | b, Some "" -> latexPart b + @"\_"
        | b, Some sub -> sprintf "%s_{%s}" (latexPart b) (latexPart sub)

    let private xmlEscape (s: string) =
        s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;")

    let private mathmlPart (part: string) =
        match Map.tryFind part greek with
        | Some code -> sprintf "<mi>&#x%X;</mi>" code
        | None when isDigits part -> sprintf "<mn>%s</mn>" part
        | None -> sprintf "<mi>%s</mi>" (xmlEscape part)

    let private mathmlName (name: string) =
        match splitName name with
        | b, None -> mathmlPart b
        | _, Some "" -> sprintf "<mi>%s</mi>" (xmlEscape name)
        | b, Some sub -> sprintf "<msub>%s%s</msub>" (mathmlPart b) (mathmlPart sub)

    /// Whether a factor's printed form starts with a digit (then a product needs a visible dot before it).
    let rec private startsWithDigit (d: Display) =
        match d with
        | Display.Integer _
        | Display.Decimal _ -> true
        | Display.Power(b, _) -> startsWithDigit b
        | Display.Product(f :: _) -> startsWithDigit f
        | _ -> false

    /// A decimal shown with a power of ten instead of E notation; binds like a product when it has one.
    let private hasExponent (options: Options) (d: Display) =
        match d with
        | Display.Decimal x when Double.IsFinite x -> (splitExponent (decimalText options x) |> snd).IsSome
        | _ -> false

    // ----- LaTeX ----------------------------------------------------------------------------------------------------

    let rec private writeLatex (options: Options) (w: string -> unit) (d: Display) : unit =
        let go = writeLatex options w
        let text (a: Display) = render (fun w' -> writeLatex options w' a)
        let parenthesised (inner: Display) =
            w @"\left("
            go inner
            w @"\right)"
        let atLeast level (inner: Display) =
            let p = if hasExponent options inner then 3 else precedence inner
            if p < level then parenthesised inner else go inner
        match d with
        | Display.Integer n -> w (n.ToString(invariant))
        | Display.Decimal x when Double.IsNaN x -> w @"\mathrm{NaN}"
        | Display.Decimal x when Double.IsInfinity x -> w @"\infty"
        | Display.Decimal x ->
            match splitExponent (decimalText options x) with
            | mantissa, None -> w mantissa
            | "1", Some k -> w (sprintf "10^{%d}" k)
            | mantissa, Some k -> w (sprintf @"%s \cdot 10^{%d}" mantissa k)
        | Display.Constant Pi -> w @"\pi"
        | Display.Constant E -> w "e"
        | Display.Variable v
        | Display.Parameter v -> w (latexName v)
        | Display.Sum terms ->
            terms
            |> List.iteri (fun i (minus, term) ->
                match i, minus with
                | 0, false -> atLeast 2 term
                | 0, true -> w "-"; atLeast 3 term
                | _, false -> w " + "; atLeast 2 term
                | _, true -> w " - "; atLeast 3 term)
        | Display.Negate inner ->
            w "-"
            atLeast 3 inner
        | Display.Product factors ->
            factors
            |> List.iteri (fun i f ->
                if i > 0 then w (if startsWithDigit f then @" \cdot " else " ")
                atLeast 3 f)
        | Display.Fraction(top, bottom) -> w (sprintf @"\frac{%s}{%s}" (text top) (text bottom))
        | Display.Power(b, e) ->
            let baseText = text b
            let needsParentheses =
                match b with
                | Display.Call _ -> baseText.Contains '^'
                | Display.Fraction _ -> true
                | _ -> precedence b < 5 || hasExponent options b
            if needsParentheses then w (sprintf @"\left(%s\right)" baseText) else w baseText
            w (sprintf "^{%s}" (text e))
        | Display.SquareRoot inner -> w (sprintf @"\sqrt{%s}" (text inner))
        | Display.Call(name, args) ->
            let texts = List.map text args
            match tryOperator name with
            | Some op -> w (op.Latex texts)
            | None -> w (sprintf @"\operatorname{%s}\left(%s\right)" (latexEscape name) (String.Join(", ", texts)))
        | Display.Placeholder(name, args) ->
            w (sprintf @"%s\left(%s\right)" (latexName name) (String.Join(", ", List.map text args)))

    // ----- MathML ---------------------------------------------------------------------------------------------------

    let private minus = "<mo>&#x2212;</mo>"
    let private mrow (s: string) = "<mrow>" + s + "</mrow>"
    let private fenced (s: string) = "<mrow><mo>(</mo>" + s + "<mo>)</mo></mrow>"

    /// Each case renders to exactly one element, so parents can place children without extra rows.
    let rec private mathmlOf (options: Options) (d: Display) : string =
        let go = mathmlOf options
        let atLeast level (inner: Display) =
            let p = if hasExponent options inner then 3 else precedence inner
            if p < level then fenced (go inner) else go inner
        match d with
        | Display.Integer n -> sprintf "<mn>%s</mn>" (n.ToString(invariant))
        | Display.Decimal x when Double.IsNaN x -> "<mi>NaN</mi>"
        | Display.Decimal x when Double.IsInfinity x -> "<mi>&#x221E;</mi>"
        | Display.Decimal x ->
            match splitExponent (decimalText options x) with
            | mantissa, None -> sprintf "<mn>%s</mn>" mantissa
            | mantissa, Some k ->
                let power = if k < 0 then mrow (minus + sprintf "<mn>%d</mn>" -k) else sprintf "<mn>%d</mn>" k
                let tenTo = sprintf "<msup><mn>10</mn>%s</msup>" power
                if mantissa = "1" then tenTo else mrow (sprintf "<mn>%s</mn><mo>&#x22C5;</mo>%s" mantissa tenTo)
        | Display.Constant Pi -> "<mi>&#x3C0;</mi>"
        | Display.Constant E -> "<mi>e</mi>"
        | Display.Variable v
        | Display.Parameter v -> mathmlName v
        | Display.Sum terms ->
            terms
            |> List.mapi (fun i (negative, term) ->
                match i, negative with
                | 0, false -> atLeast 2 term
                | 0, true -> minus + atLeast 3 term
                | _, false -> "<mo>+</mo>" + atLeast 2 term
                | _, true -> minus + atLeast 3 term)
            |> String.concat ""
            |> mrow
        | Display.Negate inner -> mrow (minus + atLeast 3 inner)
        | Display.Product factors ->
            factors
            |> List.mapi (fun i f ->
                let separator =
                    if i = 0 then "" elif startsWithDigit f then "<mo>&#x22C5;</mo>" else "<mo>&#x2062;</mo>"
                separator + atLeast 3 f)
            |> String.concat ""
            |> mrow
        | Display.Fraction(top, bottom) -> sprintf "<mfrac>%s%s</mfrac>" (go top) (go bottom)
        | Display.Power(b, e) ->
            let baseElement =
                match b with
                | Display.Call _ -> go b
                | Display.Fraction _ -> fenced (go b)
                | _ -> atLeast 5 b
            sprintf "<msup>%s%s</msup>" baseElement (go e)
        | Display.SquareRoot inner -> sprintf "<msqrt>%s</msqrt>" (go inner)
        | Display.Call(name, args) ->
            let elements = List.map go args
            match tryOperator name with
            | Some op -> mrow (op.MathML elements)
            | None ->
                mrow (sprintf "<mi>%s</mi><mo>&#x2061;</mo>%s" (xmlEscape name) (fenced (String.Join("<mo>,</mo>", elements))))
        | Display.Placeholder(name, args) ->
            let elements = List.map go args
            mrow (sprintf "%s<mo>&#x2061;</mo>%s" (mathmlName name) (fenced (String.Join("<mo>,</mo>", elements))))

    let private mathElement (content: string) =
        sprintf "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">%s</math>" content

    // ----- Public surface -------------------------------------------------------------------------------------------

    let private displayOf (options: Options) (expr: Expr) = Display.ofExprWith options.ParameterValues expr

    let mathmlContent (options: Options) (expr: Expr) = mathmlOf options (displayOf options expr)

    let write (format: Format) (options: Options) (write: string -> unit) (expr: Expr) =
        let d = displayOf options expr
        match format with
        | Format.Infix -> writeText infixStyle options write d
        | Format.SymPy -> writeText sympyStyle options write d
        | Format.CSharp -> writeCSharp options write d
        | Format.Latex -> writeLatex options write d
        | Format.MathML -> write (mathElement (mathmlOf options d))

    let format (format: Format) (options: Options) (expr: Expr) = render (fun w -> write format options w expr)

    let infixWith options expr = format Format.Infix options expr
    let infix expr = infixWith Options.Default expr
    let latexWith options expr = format Format.Latex options expr
    let latex expr = latexWith Options.Default expr
    let mathmlWith options expr = format Format.MathML options expr
    let mathml expr = mathmlWith Options.Default expr
    let sympyWith options expr = format Format.SymPy options expr
    let sympy expr = sympyWith Options.Default expr
    let csharpWith options expr = format Format.CSharp options expr
    let csharp expr = csharpWith Options.Default expr

    /// The left-hand side and the right-hand side of an equation in a format (MathML without the wrapper).
    let private sides (fmt: Format) (options: Options) (equation: Equation) =
        let rhs =
            match fmt with
            | Format.MathML -> mathmlContent options equation.Rhs
            | _ -> format fmt options equation.Rhs
        let lhs =
            match fmt, equation.Target with
            | Format.Infix, Target.Output n -> n
            | Format.Infix, Target.Derivative n -> n + "'"
            | Format.Latex, Target.Output n -> latexName n
            | Format.Latex, Target.Derivative n -> sprintf @"\frac{d%s}{dt}" (latexName n)
            | Format.MathML, Target.Output n -> mathmlName n
            | Format.MathML, Target.Derivative n ->
                sprintf "<mfrac><mrow><mi>d</mi>%s</mrow><mrow><mi>d</mi><mi>t</mi></mrow></mfrac>" (mathmlName n)
            | Format.SymPy, Target.Output n -> n
            | Format.SymPy, Target.Derivative n -> sprintf "Derivative(%s, t)" n
            | Format.CSharp, Target.Output n -> csharpName n
            | Format.CSharp, Target.Derivative n -> sprintf "d%s_dt" n
        lhs, rhs

    let private equationText (fmt: Format) (options: Options) (equation: Equation) =
        let lhs, rhs = sides fmt options equation
        match fmt with
        | Format.Infix
        | Format.Latex -> sprintf "%s = %s" lhs rhs
        | Format.MathML -> mrow (sprintf "%s<mo>=</mo>%s" lhs rhs)
        | Format.SymPy -> sprintf "Eq(%s, %s)" lhs rhs
        | Format.CSharp -> sprintf "%s = %s;" lhs rhs

    let equation (format: Format) (options: Options) (equation: Equation) =
        match format with
        | Format.MathML -> mathElement (equationText format options equation)
        | _ -> equationText format options equation

    let infixEquation (equation: Equation) = equationText Format.Infix Options.Default equation

    let system (format: Format) (options: Options) (equations: Equation list) =
        let fmt = format
        match fmt with
        | Format.Infix
        | Format.CSharp -> String.Join("\n", equations |> List.map (equationText fmt options))
        | Format.SymPy -> sprintf "[%s]" (String.Join(", ", equations |> List.map (equationText fmt options)))
        | Format.Latex ->
            let rows = equations |> List.map (fun e -> let l, r = sides fmt options e in sprintf "%s &= %s" l r)
            sprintf @"\begin{aligned}%s\end{aligned}" (String.Join(@" \\ ", rows))
        | Format.MathML ->
            equations
            |> List.map (fun e -> sprintf "<mtr><mtd>%s</mtd></mtr>" (equationText fmt options e))
            |> String.concat ""
            |> sprintf "<mtable>%s</mtable>"
            |> mathElement
