namespace Symbolic

open System
open System.Globalization
open System.Numerics
open FParsec

type ParseError =
    { Line: int
      Column: int
      Message: string }

    override this.ToString() = sprintf "line %d, column %d: %s" this.Line this.Column this.Message

[<RequireQualifiedAccess>]
module Parse =
    type Options =
        { Parameters: Set<string> }

        static member Default = { Parameters = Set.empty }

    let withParameters (names: string seq) = { Parameters = Set.ofSeq names }

    type private P<'a> = Parser<'a, unit>

    /// Names that SymPy prints with a capital letter, accepted so that its output parses back.
    let private sympyNames = Map.ofList [ "Abs", "abs"; "Max", "max"; "Min", "min" ]

    let maxLength = 1_000_000

    let maxDepth = 100

    let maxIntegerDigits = Expr.maxExactDigits

    let private plural (n: int) (word: string) = if n = 1 then sprintf "1 %s" word else sprintf "%d %ss" n word

    /// What a name means given whether it is called with arguments; Error holds the message for a misuse.
    let private resolve (options: Options) (name: string) (args: Expr list option) : Result<Expr, string> =
        let operator = Operators.tryFind (defaultArg (Map.tryFind name sympyNames) name)
        match args, operator with
        | Some args, Some op when args.Length = op.Arity ->
            try Result.Ok(op.Build args) with e -> Result.Error(sprintf "expected valid arguments for %s (%s)" name e.Message)
        | Some args, Some op ->
            Result.Error(sprintf "expected %s for %s, found %d" (plural op.Arity "argument") name args.Length)
        | None, Some op -> Result.Error(sprintf "expected '(' after %s, which is a function of %s" name (plural op.Arity "argument"))
        | Some _, None when name = "pi" || name = "e" -> Result.Error(sprintf "expected an operator after %s, which is a constant" name)
        | Some args, None -> Result.Ok(Placeholder(name, args))
        | None, None ->
            match name with
            | "pi" -> Result.Ok Expr.pi
            | "e" -> Result.Ok Expr.e
            | _ when options.Parameters.Contains name -> Result.Ok(Parameter(name, 1.0))
            | _ -> Result.Ok(Variable name)

    let private isNameStart (c: char) = Char.IsLetter c || c = '_'
    let private isNameChar (c: char) = Char.IsLetterOrDigit c || c = '_'

    let private numberFormat =
        NumberLiteralOptions.AllowFraction
        ||| NumberLiteralOptions.AllowExponent
        ||| NumberLiteralOptions.AllowFractionWOIntegerPart

    /// The number a literal denotes, or why it is out of range: a decimal must be a finite double and must not
    /// underflow to zero, an integer must have at most `maxIntegerDigits` digits (exact arithmetic on longer ones
    /// costs time without bound).
    let private toNumber (literal: NumberLiteral) : Result<Expr, string> =
        if literal.IsInteger then
            if literal.String.Length > maxIntegerDigits then
                Result.Error(sprintf "number out of range: expected an integer of at most %d digits, found %d" maxIntegerDigits literal.String.Length)
            else Result.Ok(Number(Rational.OfBigInt(BigInteger.Parse(literal.String, CultureInfo.InvariantCulture))))
        else
            let x = Double.Parse(literal.String, NumberStyles.Float, CultureInfo.InvariantCulture)
            let mantissa = literal.String.Split('e', 'E')[0]
            if Double.IsInfinity x then
                Result.Error(sprintf "number out of range: expected a magnitude of at most %s" (Double.MaxValue.ToString("R", CultureInfo.InvariantCulture)))
            elif x = 0.0 && mantissa |> Seq.exists (fun c -> c >= '1' && c <= '9') then
                Result.Error(sprintf "number out of range: expected a magnitude of at least %s (or zero)" (Double.Epsilon.ToString("R", CultureInfo.InvariantCulture)))
            else Result.Ok(Approx x)

    /// The parsers for one set of options. `ws` is what counts as blank space between tokens (systems keep newlines
    /// as separators). Built per call: no parser state lives at module level.
    type private Grammar =
        { Expression: P<Expr>
          Equation: P<Equation>
          Ws: P<unit> }

    /// What may start an operand.
    let private operandStart = [ "a number"; "a name"; "'('" ]

    /// The order in which expected items are listed; anything else follows.
    let private labelOrder =
        operandStart @ [ "an operator"; "','"; "')'"; "'='"; "\"'\""; "a new line"; "';'"; "end of input" ]

    /// `p <?> labels`, except that a fatal error (a misused name, reported at the name) keeps its own message.
    let private expecting (labels: string list) (p: P<'a>) : P<'a> =
        fun stream ->
            let tag = stream.StateTag
            let reply = p stream
            if reply.Status = ReplyStatus.Error && tag = stream.StateTag then
                Reply(ReplyStatus.Error, labels |> List.map expected |> List.reduce mergeErrors)
            else reply

    /// Fails fatally at the current position with `message`, so that no alternative is tried.
    let private refuseHere (message: string) (stream: CharStream<unit>) (start: CharStreamState<unit> byref) : Reply<'a> =
        stream.BacktrackTo(&start)
        Reply(ReplyStatus.FatalError, messageError message)

    /// `p` one nesting level deeper; refused at the position where the level beyond `maxDepth` would start. Every
    /// recursion of the grammar (parentheses, call arguments, signs, exponents) passes through here, so the parser's
    /// own stack and every tree it returns stay shallow.
    let private nested (depth: int ref) (p: P<'a>) : P<'a> =
        fun stream ->
            if depth.Value >= maxDepth then
                let mutable start = stream.State
                refuseHere (sprintf "expected at most %d nested levels (parentheses, calls, signs and powers)" maxDepth) stream &start
            else
                depth.Value <- depth.Value + 1
                let reply = p stream
                depth.Value <- depth.Value - 1
                reply

    let private grammar (options: Options) (ws: P<unit>) : Grammar =
        let symbol (c: char) = skipChar c >>. ws
        let name : P<string> = many1Satisfy2L isNameStart isNameChar "a name" .>> ws
        let expression, expressionRef = createParserForwardedToRef<Expr, unit> ()
        let unary, unaryRef = createParserForwardedToRef<Expr, unit> ()
        // Per parse, never shared: the grammar is built for each call.
        let depth = ref 0
        let literal = numberLiteral numberFormat "a number"
        let number : P<Expr> =
            (fun stream ->
                let mutable start = stream.State
                let reply = literal stream
                if reply.Status <> ReplyStatus.Ok then Reply(reply.Status, reply.Error)
                else
                    match toNumber reply.Result with
                    | Result.Ok e -> Reply e
                    | Result.Error message -> refuseHere message stream &start)
            .>> ws
        let arguments = between (symbol '(') (symbol ')' <?> "')'") (sepBy expression (symbol ',' <?> "','"))
        let nameAndArguments = name .>>. opt arguments
        // A name with its arguments; a misuse (wrong arity, operator without arguments) is reported at the name.
        let call : P<Expr> =
            fun stream ->
                let mutable start = stream.State
                let reply = nameAndArguments stream
                if reply.Status <> ReplyStatus.Ok then Reply(reply.Status, reply.Error)
                else
                    let name, args = reply.Result
                    match resolve options name args with
                    | Result.Ok e -> Reply e
                    | Result.Error message -> refuseHere message stream &start
        let parenthesised = between (symbol '(') (symbol ')' <?> "')'") expression
        let atom = choice [ number; call; parenthesised ] |> expecting operandStart
        let powerOp = (skipString "**" <|> skipChar '^') >>. ws <?> "an operator"
        let power = atom .>>. opt (powerOp >>. unary) |>> (fun (b, e) -> match e with Some e -> Expr.power b e | None -> b)
        unaryRef.Value <-
            choice [ symbol '-' >>. unary |>> Expr.negate
                     symbol '+' >>. unary
                     power ]
            |> expecting operandStart
            |> nested depth
        // Sums and products are collected as lists and built once: folding `a + b` pairwise re-canonicalises the
        // growing sum at every step, which costs quadratic time on long sums.
        let mulOp = (symbol '*' >>% id <|> (symbol '/' >>% Expr.invert)) <?> "an operator"
        let addOp = (symbol '+' >>% id <|> (symbol '-' >>% Expr.negate)) <?> "an operator"
        let chain (operand: P<Expr>) (op: P<Expr -> Expr>) (build: Expr list -> Expr) =
            operand .>>. many (op .>>. operand)
            |>> fun (first, rest) ->
                match rest with
                | [] -> first
                | _ -> build (first :: List.map (fun (f, x) -> f x) rest)
        let term = chain unary mulOp Expr.product
        expressionRef.Value <- chain term addOp Expr.sum
        let derivativeMark = skipChar '\'' >>. ws <?> "\"'\""
        let overDt = attempt (symbol '/' >>. skipString "dt" >>. notFollowedBy (satisfy isNameChar)) >>. ws
        let target : P<Target> =
            name >>= fun n ->
                choice [ derivativeMark >>% Target.Derivative n
                         (if n.Length > 1 && n[0] = 'd' then overDt >>% Target.Derivative(n.Substring 1) else pzero)
                         preturn (Target.Output n) ]
        let equation =
            target .>> (symbol '=' <?> "'='") .>>. expression |>> fun (t, rhs) -> { Target = t; Rhs = rhs }
        { Expression = expression; Equation = equation; Ws = ws }

    let private blanks : P<unit> = spaces
    let private lineBlanks : P<unit> =
        skipManySatisfy (fun c -> c = ' ' || c = '\t') >>. skipMany (skipChar '#' >>. skipRestOfLine false)

    /// A character as it may be shown on a terminal: control characters, format characters (bidirectional
    /// overrides) and lone surrogates as `\xNN` or `\uNNNN`, so that an error message cannot carry escape sequences.
    let private escapeChar (c: char) =
        match Char.GetUnicodeCategory c with
        | UnicodeCategory.Control
        | UnicodeCategory.Format
        | UnicodeCategory.Surrogate
        | UnicodeCategory.OtherNotAssigned
        | UnicodeCategory.LineSeparator
        | UnicodeCategory.ParagraphSeparator -> if int c < 0x100 then sprintf "\\x%02x" (int c) else sprintf "\\u%04x" (int c)
        | _ when c = '\\' -> "\\\\"
        | _ -> string c

    let excerpt (text: string) =
        if isNull text then ""
        else
            let limit = 60
            let shown = if text.Length > limit then text.Substring(0, limit) else text
            let escaped = String.Join("", shown |> Seq.map escapeChar)
            if text.Length > limit then sprintf "%s... (%d characters)" escaped text.Length else escaped

    let private describeChar (text: string) (index: int64) =
        if index >= int64 text.Length then "end of input"
        else
            match text[int index] with
            | '\n' | '\r' -> "end of line"
            | c -> sprintf "'%s'" (escapeChar c)

    let private joinOr (items: string list) =
        match List.rev items with
        | [] -> ""
        | [ one ] -> one
        | last :: rest -> sprintf "%s or %s" (String.Join(", ", List.rev rest)) last

    let rec private collect (messages: ErrorMessageList) : string list * string list =
        ErrorMessageList.ToSortedArray messages
        |> Array.fold
            (fun (expected, custom) message ->
                match message with
                | Expected label -> label :: expected, custom
                | ExpectedString s -> sprintf "'%s'" s :: expected, custom
                | Message m -> expected, m :: custom
                | NestedError(_, _, inner)
                | CompoundError(_, _, _, inner) ->
                    let e, c = collect inner
                    e @ expected, c @ custom
                | _ -> expected, custom)
            ([], [])

    let private toParseError (text: string) (error: ParserError) : ParseError =
        let expected, custom = collect error.Messages
        let message =
            let rank (label: string) = match List.tryFindIndex ((=) label) labelOrder with Some i -> i | None -> labelOrder.Length
            let expected = expected |> List.distinct |> List.filter ((<>) "'#'") |> List.sortBy rank
            match List.distinct (List.rev custom), expected with
            | c :: cs, _ -> String.Join("; ", c :: cs)
            | [], [] -> sprintf "unexpected %s" (describeChar text error.Position.Index)
            | [], items -> sprintf "expected %s, found %s" (joinOr items) (describeChar text error.Position.Index)
        { Line = int error.Position.Line; Column = int error.Position.Column; Message = message }

    /// The 1-based line and column of the character at `index`.
    let private positionOf (text: string) (index: int) : int * int =
        let mutable line = 1
        let mutable lineStart = 0
        for i in 0 .. min index text.Length - 1 do
            if text[i] = '\n' then
                line <- line + 1
                lineStart <- i + 1
        line, index - lineStart + 1

    /// Refuses text longer than `maxLength` at its first character beyond the limit, before any parsing work.
    let private checkLength (text: string) : Result<unit, ParseError> =
        if text.Length <= maxLength then Result.Ok()
        else
            let line, column = positionOf text maxLength
            Result.Error { Line = line; Column = column; Message = sprintf "expected at most %d characters, found %d" maxLength text.Length }

    let private run (parser: P<'a>) (text: string) : Result<'a, ParseError> =
        if isNull text then Result.Error { Line = 1; Column = 1; Message = "expected text, found nothing" }
        else
            match checkLength text with
            | Result.Error e -> Result.Error e
            | Result.Ok() ->
                try
                    match runParserOnString parser () "input" text with
                    | Success(value, _, _) -> Result.Ok value
                    | Failure(_, error, _) -> Result.Error(toParseError text error)
                with e ->
                    Result.Error { Line = 1; Column = 1; Message = sprintf "expected text this parser can handle (%s)" e.Message }

    let expressionWith (options: Options) (text: string) =
        let g = grammar options blanks
        run (g.Ws >>. g.Expression .>> (eof <?> "end of input")) text

    let expression (text: string) = expressionWith Options.Default text

    let equationWith (options: Options) (text: string) =
        let g = grammar options blanks
        run (g.Ws >>. g.Equation .>> (eof <?> "end of input")) text

    let equation (text: string) = equationWith Options.Default text

    let systemWith (options: Options) (text: string) =
        let g = grammar options lineBlanks
        let lineBreak = ((skipNewline <?> "a new line") <|> (skipChar ';' <?> "';'")) >>. g.Ws
        let equations = sepEndBy1 g.Equation (skipMany1 lineBreak)
        run (g.Ws >>. skipMany lineBreak >>. equations .>> (eof <?> "end of input")) text

    let system (text: string) = systemWith Options.Default text
