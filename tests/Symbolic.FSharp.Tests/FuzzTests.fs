/// A fuzz test of the parser and printers: generated, mutated, deeply chained and oversized inputs from a fixed seed.
/// Every input must either parse, and then print and parse back to the same expression and survive simplify,
/// derivative and compile, or give a positioned error. DISCOVERY_FUZZ_CASES sets the number of inputs (a longer
/// campaign); DISCOVERY_FUZZ_SEED the seed.
module Symbolic.Tests.FuzzTests

open System
open System.Diagnostics
open System.Text
open Xunit
open Xunit.Abstractions
open Symbolic

let private names = [| "x"; "y"; "z"; "t"; "k_1"; "alpha"; "pi"; "e"; "x2" |]
let private unaryCalls = [| "sin"; "cos"; "tan"; "exp"; "log"; "sqrt"; "abs"; "tanh"; "atan"; "square"; "h1"; "Abs" |]
let private binaryCalls = [| "max"; "min"; "pow"; "h2"; "atan2" |]
let private binaryOps = [| "+"; "-"; "*"; "/"; "^"; "**"; " + "; " - "; " * " |]

/// Characters a mutation inserts: the grammar's own, blanks, digits, letters, and some a terminal or a parser may
/// mishandle (escape, NUL, bidirectional override, a lone surrogate, non-Latin letters).
let private noise =
    "()+-*/^,.=;'#eE0123456789xyz_ \t\n\r" + "\u001b\u0000\u007f\u202e\ud800\u00e9\u03b1\uff10[]{}!@$%&|~`\"\\"

type private Fuzzer(seed: int) =
    let random = Random(seed)
    member _.Int(n: int) = random.Next n
    member this.Pick(items: 'a[]) = items[this.Int items.Length]

    member this.Number() : string =
        match this.Int 9 with
        | 0 -> string (this.Int 10)
        | 1 -> string (this.Int 100000)
        | 2 -> sprintf "%d.%d" (this.Int 100) (this.Int 1000)
        | 3 -> sprintf ".%de%d" (this.Int 100) (this.Int 700 - 350)
        | 4 -> sprintf "%de%d" (1 + this.Int 9) (this.Int 900 - 450)
        | 5 -> String(Array.init (if this.Int 10 = 0 then 9000 + this.Int 2000 else 1 + this.Int 1200) (fun i -> if i = 0 then '1' else char (int '0' + this.Int 10)))
        | 6 -> sprintf "%s.%se%d" (String('9', 1 + this.Int 400)) (String('9', this.Int 5)) (this.Int 20)
        | 7 -> "0.0"
        | _ -> sprintf "%de-%d" (this.Int 10) (300 + this.Int 40)

    /// A syntactically valid expression of at most `depth` levels.
    member this.Expression(depth: int) : string =
        if depth <= 0 || this.Int 4 = 0 then
            if this.Int 3 = 0 then this.Number() else this.Pick names
        else
            let sub () = this.Expression(depth - 1)
            match this.Int 8 with
            | 0 | 1 | 2 -> sub () + this.Pick binaryOps + sub ()
            | 3 -> "-" + sub ()
            | 4 -> "(" + sub () + ")"
            | 5 -> this.Pick unaryCalls + "(" + sub () + ")"
            | 6 -> this.Pick binaryCalls + "(" + sub () + ", " + sub () + ")"
            | _ -> "(" + sub () + ")^" + (if this.Int 2 = 0 then string (this.Int 5 - 2) else sub ())

    /// A long chain without parentheses, or deep parentheses, around the nesting limit or far beyond it.
    member this.Chain() : string =
        let count = if this.Int 2 = 0 then Parse.maxDepth - 3 + this.Int 6 else this.Int 20000
        let link = this.Pick [| "-"; "+"; "x^"; "x^-"; "2**"; "-x^"; "sin("; "(" ; "x*"; "x+"; "--x+" |]
        String.replicate count link + this.Pick names

    /// One to four random edits of `text`: insertions, deletions, duplications and replacements.
    member this.Mutate(text: string) : string =
        let sb = StringBuilder(text)
        for _ in 1 .. 1 + this.Int 4 do
            let at = this.Int(sb.Length + 1)
            match this.Int 4 with
            | 0 -> sb.Insert(at, noise[this.Int noise.Length]) |> ignore
            | 1 when sb.Length > 0 -> sb.Remove(min at (sb.Length - 1), 1 + this.Int(max 1 (sb.Length - at))) |> ignore
            | 2 when sb.Length > 0 ->
                let start = this.Int sb.Length
                let length = 1 + this.Int(min 50 (sb.Length - start))
                sb.Insert(at, sb.ToString(start, length)) |> ignore
            | _ when sb.Length > 0 -> sb[min at (sb.Length - 1)] <- noise[this.Int noise.Length]
            | _ -> sb.Append(noise[this.Int noise.Length]) |> ignore
        sb.ToString()

    member this.Input() : string =
        match this.Int 10 with
        | 0 | 1 | 2 -> this.Expression(1 + this.Int 6)
        | 3 | 4 | 5 -> this.Mutate(this.Expression(1 + this.Int 6))
        | 6 -> this.Chain()
        | 7 -> this.Mutate(this.Chain())
        | 8 -> this.Number() + this.Pick binaryOps + this.Number()
        | _ -> String(Array.init (this.Int 40) (fun _ -> noise[this.Int noise.Length]))

/// What went wrong with one input, or None.
let private problemWith (text: string) : string option =
    // FParsec counts "\r\n", "\r" and "\n" each as one line break.
    let lines = text.Replace("\r\n", "\n").Split([| '\n'; '\r' |])
    match Parse.expression text with
    | Error e ->
        let message = e.ToString()
        if e.Line < 1 || e.Line > lines.Length || e.Column < 1 || e.Column > lines[e.Line - 1].Length + 1 then
            Some(sprintf "error outside the text: %s" message)
        elif String.IsNullOrWhiteSpace e.Message || e.Message.StartsWith "expected text this parser can handle" then
            Some(sprintf "error without a cause: %s" message)
        elif message |> Seq.exists (fun c -> Char.IsControl c || Char.GetUnicodeCategory c = Globalization.UnicodeCategory.Format) then
            Some(sprintf "error echoes a control character: %s" (Parse.excerpt message))
        else None
    | Ok expr ->
        let infix = Print.infix expr
        match Parse.expression infix with
        | Error e -> Some(sprintf "printed as %s, which does not parse: %O" (Parse.excerpt infix) e)
        | Ok back when back <> expr -> Some(sprintf "printed as %s, which parses to %s" (Parse.excerpt infix) (Parse.excerpt (Print.infix back)))
        | Ok _ ->
            [ Print.latex; Print.mathml; Print.sympy; Print.csharp ] |> List.iter (fun print -> print expr |> ignore)
            Simplify.simplify expr |> ignore
            Calculus.tryNthDerivative "x" 1 expr |> ignore
            match Compile.toProgram (Expr.variables expr) expr with
            | Ok program ->
                let columns = Expr.variables expr |> List.map (fun _ -> [| 0.5; -2.0 |]) |> Array.ofList
                Evaluator.evaluate program columns |> ignore
            | Error _ -> ()
            None

let private setting (name: string) (fallback: int) =
    match Environment.GetEnvironmentVariable name with
    | null | "" -> fallback
    | text -> int text

type FuzzTests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every generated or mutated input parses and round-trips, or gives a positioned error`` () =
        let cases = setting "DISCOVERY_FUZZ_CASES" 3000
        let seed = setting "DISCOVERY_FUZZ_SEED" 17
        let fuzzer = Fuzzer seed
        let clock = Stopwatch.StartNew()
        let mutable parsed = 0
        let mutable positioned = 0
        let problems = ResizeArray<string>()
        for _ in 1 .. cases do
            let text = fuzzer.Input()
            let outcome =
                try problemWith text
                with e -> Some(sprintf "%s: %s" (e.GetType().Name) (Parse.excerpt e.Message))
            match outcome, Parse.expression text with
            | None, Ok _ -> parsed <- parsed + 1
            | None, Error _ -> positioned <- positioned + 1
            | Some problem, _ -> problems.Add(sprintf "%s <- input %s" problem (Parse.excerpt text))
        output.WriteLine(
            sprintf "fuzz: seed %d, %d inputs, %d parsed and round-tripped, %d positioned errors, %d problems, %.1f s"
                seed cases parsed positioned problems.Count clock.Elapsed.TotalSeconds)
        for p in Seq.truncate 20 problems do
            output.WriteLine p
        Assert.True(problems.Count = 0, String.Join("\n", Seq.truncate 20 problems))
        Assert.Equal(cases, parsed + positioned)
