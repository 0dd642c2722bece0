namespace Symbolic

open System
open System.Collections.Generic

/// Compiling canonical expressions: to flat postfix programs for the batch evaluator (`toProgram`), and to .NET
/// delegates for scalar hot loops such as ODE right-hand sides (`toDelegate`, `toOdeFunction`).
[<RequireQualifiedAccess>]
module Compile =
    let private index (names: string list) = names |> List.mapi (fun i n -> n, i) |> dict

    /// The first reason an expression cannot be compiled over these variables, if any.
    let internal check (isKnown: string -> bool) (knownNames: string list) (expr: Expr) : Result<unit, string> =
        let problems =
            Expr.subexpressions expr
            |> Seq.choose (function
                | Variable v when not (isKnown v) ->
                    let known = if knownNames.IsEmpty then "none" else String.Join(", ", knownNames)
                    Some(sprintf "unknown variable '%s' (the known variables are: %s)" v known)
                | Placeholder(name, _) ->
                    Some(sprintf "'%s' is an unknown function (a placeholder) and cannot be compiled" name)
                | Apply(name, args) ->
                    match Operators.tryFind name with
                    | None -> Some(sprintf "unknown operator '%s'" name)
                    | Some op when op.Arity <> args.Length ->
                        Some(sprintf "operator '%s' takes %d argument(s) but is applied to %d" name op.Arity args.Length)
                    | Some _ -> None
                | _ -> None)
        match Seq.tryHead problems with
        | Some problem -> Error problem
        | None -> Ok()

    let private checkNames (what: string) (names: string list) =
        match names |> List.countBy id |> List.tryFind (fun (_, n) -> n > 1) with
        | Some(name, _) -> Error(sprintf "%s '%s' is listed twice" what name)
        | None -> Ok()

    /// True when the expression has no variables and no parameters (its value is fixed).
    let rec internal isFixed (e: Expr) =
        match e with
        | Variable _ | Parameter _ | Placeholder _ -> false
        | Number _ | Approx _ | Constant _ -> true
        | _ -> Expr.children e |> List.forall isFixed

    /// A term written as `rest` with coefficient exactly -1, so the sum subtracts `rest`.
    let private (|Subtracted|_|) =
        function
        | Product(MinusOne :: [ f ]) -> Some f
        | Product(MinusOne :: fs) -> Some(Product fs)
        | _ -> None

    /// A factor with a negative numeric exponent, as its base to the positive exponent (the divisor).
    let private (|Divisor|_|) =
        function
        | Power(b, Number r) when r.Sign < 0 -> Some(Expr.power b (Number -r))
        | Power(b, Approx x) when x < 0.0 -> Some(Expr.power b (Approx -x))
        | _ -> None

    /// Emits the postfix instructions of a canonical expression whose names are all known.
    let private emitter (variables: IDictionary<string, int>) (parameters: IDictionary<string, int>) =
        let code = List<Instruction>()
        let call (name: string) = code.Add(Call(Operators.indexOf name))
        let constant (x: float) = code.Add(LoadConstant x)
        let rec emit (e: Expr) =
            if isFixed e then constant (Evaluate.at (Dictionary<string, float>()) e)
            else
                match e with
                | Variable v -> code.Add(LoadVariable variables[v])
                | Parameter(name, _) -> code.Add(LoadParameter parameters[name])
                | Sum terms -> emitSum terms
                | Product factors -> emitProduct factors
                | Power(b, exponent) -> emitPower b exponent
                | Apply(name, args) ->
                    List.iter emit args
                    call name
                | Number _ | Approx _ | Constant _ | Placeholder _ -> invalidOp "checked before emitting"
        and emitSum (terms: Expr list) =
            // Start with a term that is added, so that the others are added or subtracted.
            let first, rest =
                match List.tryFindIndex (function Subtracted _ -> false | _ -> true) terms with
                | Some i -> terms[i], List.removeAt i terms
                | None -> terms.Head, terms.Tail
            match first with
            | Subtracted f ->
                emit f
                call "neg"
            | t -> emit t
            for t in rest do
                match t with
                | Subtracted f ->
                    emit f
                    call "sub"
                | t ->
                    emit t
                    call "add"
        and emitProduct (factors: Expr list) =
            let coefficient, others =
                match factors with
                | (Number _ | Approx _ as c) :: rest -> Some c, rest
                | _ -> None, factors
            let divisors = others |> List.choose (function Divisor d -> Some d | _ -> None)
            let multipliers = others |> List.filter (function Divisor _ -> false | _ -> true)
            let emitAll (fs: Expr list) =
                emit fs.Head
                for f in fs.Tail do
                    emit f
                    call "mul"
            let negated =
                match coefficient, multipliers with
                | Some MinusOne, [] ->
                    constant -1.0
                    false
                | Some MinusOne, _ ->
                    emitAll multipliers
                    true
                | Some c, _ ->
                    emitAll (c :: multipliers)
                    false
                | None, [] ->
                    // Only divisors: 1 / (d1 * d2 ...).
                    false
                | None, _ ->
                    emitAll multipliers
                    false
            match coefficient, multipliers, divisors with
            | _, _, [] -> ()
            | None, [], ds ->
                emitAll ds
                call "inv"
            | _, _, ds ->
                emitAll ds
                call "div"
            if negated then call "neg"
        and emitPower (b: Expr) (exponent: Expr) =
            let rec integerPower (n: int) =
                match n with
                | 1 -> ()
                | 2 -> call "square"
                | 3 -> call "cube"
                | 4 ->
                    call "square"
                    call "square"
                | n when n < 0 ->
                    integerPower -n
                    call "inv"
                | n ->
                    constant (float n)
                    call "pow"
            match exponent with
            | Integer n when n <> 0 ->
                emit b
                integerPower n
            | Number r when r.Denominator = 2I && abs r.Numerator <= 64I ->
                emit b
                call "sqrt"
                integerPower (int r.Numerator)
            | _ ->
                emit b
                emit exponent
                call "pow"
        fun (e: Expr) ->
            emit e
            code.ToArray()

    /// Compiles a canonical expression to a postfix program over the given variables (the data's column order).
    /// Parameters become `LoadParameter` in name order, with their current values; parameter-free constant subtrees
    /// are folded; sums with -1 coefficients subtract, negative powers divide, small powers multiply. Errors name the
    /// unknown variable, placeholder or operator.
    [<CompiledName("ToProgram")>]
    let toProgram (variables: string list) (expr: Expr) : Result<Program, string> =
        let known = index variables
        checkNames "variable" variables
        |> Result.bind (fun () -> check known.ContainsKey variables expr)
        |> Result.bind (fun () ->
            let parameters = Expr.parameters expr
            let parameterIndex = parameters |> List.map fst |> index
            let instructions = emitter known parameterIndex expr
            Program.create (Array.ofList variables) (parameters |> List.map fst |> Array.ofList)
                (parameters |> List.map snd |> Array.ofList) instructions)
