namespace Symbolic

open System
open System.Collections.Generic
open System.Linq.Expressions

/// The right-hand side of an ODE system dx/dt = f(t, x; p) compiled by `Compile.toOdeFunction`: writes f(time, state;
/// parameters) into `derivative` (one entry per state, in the order of the states). Allocates nothing.
type OdeFunction = delegate of time: float * state: float[] * parameters: float[] * derivative: float[] -> unit

/// `pown` for compiled delegates (LINQ expressions cannot call an inline F# function).
type internal PowerHelper =
    static member Pown(x: float, n: int) = pown x n

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

    /// Methods of System.Math that compute an operator of the table exactly as its scalar function does.
    let private mathMethods =
        dict
            [ "exp", "Exp"; "log", "Log"; "log10", "Log10"; "sin", "Sin"; "cos", "Cos"; "tan", "Tan"; "asin", "Asin"
              "acos", "Acos"; "atan", "Atan"; "sinh", "Sinh"; "cosh", "Cosh"; "tanh", "Tanh"; "sqrt", "Sqrt"
              "cbrt", "Cbrt"; "abs", "Abs"; "max", "Max"; "min", "Min"; "pow", "Pow" ]

    let private mathMethod (name: string) (arity: int) =
        typeof<Math>.GetMethod(mathMethods[name], Array.create arity typeof<float>)

    /// A LINQ expression computing `expr`; `leaf` gives the expression of each variable and parameter.
    let rec private linq (leaf: Expr -> Expression) (expr: Expr) : Expression =
        let build = linq leaf
        let constant (x: float) = Expression.Constant x :> Expression
        /// Evaluates `e` once into a local and builds the body from that local.
        let shared (e: Expression) (body: Expression -> Expression) =
            let v = Expression.Variable typeof<float>
            Expression.Block([ v ], Expression.Assign(v, e), body v) :> Expression
        let integerPower (b: Expression) (n: int) =
            match n with
            | 1 -> b
            | 2 -> shared b (fun v -> Expression.Multiply(v, v))
            | 3 -> shared b (fun v -> Expression.Multiply(Expression.Multiply(v, v), v))
            | -1 -> Expression.Divide(constant 1.0, b) :> Expression
            | n -> Expression.Call(typeof<PowerHelper>.GetMethod("Pown", Reflection.BindingFlags.Static ||| Reflection.BindingFlags.Public ||| Reflection.BindingFlags.NonPublic), b, Expression.Constant n) :> Expression
        if isFixed expr then constant (Evaluate.at (Dictionary<string, float>()) expr)
        else
            match expr with
            | Variable _ | Parameter _ -> leaf expr
            | Sum terms ->
                terms.Tail
                |> List.fold
                    (fun acc t ->
                        match t with
                        | Subtracted f -> Expression.Subtract(acc, build f) :> Expression
                        | t -> Expression.Add(acc, build t))
                    (build terms.Head)
            | Product factors ->
                let divisors = factors |> List.choose (function Divisor d -> Some d | _ -> None)
                let multipliers = factors |> List.filter (function Divisor _ -> false | _ -> true)
                let numerator =
                    match multipliers with
                    | [] -> constant 1.0
                    | m :: ms -> ms |> List.fold (fun acc f -> Expression.Multiply(acc, build f) :> Expression) (build m)
                match divisors with
                | [] -> numerator
                | d :: ds ->
                    let denominator = ds |> List.fold (fun acc f -> Expression.Multiply(acc, build f) :> Expression) (build d)
                    Expression.Divide(numerator, denominator)
            | Power(b, Integer n) -> integerPower (build b) n
            | Power(b, Number r) when r = Rational.Create(1I, 2I) ->
                Expression.Call(mathMethod "sqrt" 1, build b) :> Expression
            | Power(b, e) -> Expression.Call(mathMethod "pow" 2, build b, build e)
            | Apply(name, args) ->
                let args = args |> List.map build
                match name, args with
                | _ when mathMethods.ContainsKey name -> Expression.Call(mathMethod name args.Length, args) :> Expression
                | "neg", [ a ] -> Expression.Negate a
                | "square", [ a ] -> integerPower a 2
                | "cube", [ a ] -> integerPower a 3
                | "inv", [ a ] -> integerPower a -1
                | _ ->
                    match (Operators.find name).Scalar, args with
                    | ScalarFunction.Unary f, [ a ] -> Expression.Invoke(Expression.Constant(Func<float, float> f), a)
                    | ScalarFunction.Binary f, [ a; b ] ->
                        Expression.Invoke(Expression.Constant(Func<float, float, float>(fun x y -> f x y)), a, b)
                    | _ -> invalidOp (sprintf "'%s' applied to %d arguments" name args.Length)
            | Number _ | Approx _ | Constant _ | Placeholder _ -> invalidOp "checked before building"

    /// Compiles a canonical expression to a delegate for scalar hot loops: `f.Invoke(values)` with `values[i]` the
    /// value of the i-th variable. Parameters keep their current values. Errors name the unknown variable, placeholder
    /// or operator.
    [<CompiledName("ToDelegate")>]
    let toDelegate (variables: string list) (expr: Expr) : Result<Func<float[], float>, string> =
        let known = index variables
        checkNames "variable" variables
        |> Result.bind (fun () -> check known.ContainsKey variables expr)
        |> Result.map (fun () ->
            let values = Expression.Parameter(typeof<float[]>, "values")
            let leaf =
                function
                | Variable v -> Expression.ArrayIndex(values, Expression.Constant known[v]) :> Expression
                | Parameter(_, value) -> Expression.Constant value
                | e -> invalidOp (sprintf "not a leaf: %A" e)
            Expression.Lambda<Func<float[], float>>(linq leaf expr, [ values ]).Compile())

    /// Compiles the right-hand side of an ODE system dx/dt = f(t, x; p): one expression per state, over the states,
    /// the time variable (its name, or "" when the system is autonomous) and the named parameters, which are read from
    /// the `parameters` array at each call (in the order given; parameters not named keep their current values).
    /// Errors name the unknown variable, placeholder or operator, or a mismatch of states and expressions.
    [<CompiledName("ToOdeFunction")>]
    let toOdeFunction (states: string[]) (time: string) (parameters: string[]) (rightHandSides: Expr[])
        : Result<OdeFunction, string> =
        let stateIndex = index (List.ofArray states)
        let parameterIndex = index (List.ofArray parameters)
        let hasTime = not (String.IsNullOrEmpty time)
        let knownNames = List.ofArray states @ (if hasTime then [ time ] else [])
        let isKnown v = stateIndex.ContainsKey v || (hasTime && v = time)
        let checks =
            checkNames "variable" knownNames
            |> Result.bind (fun () -> checkNames "parameter" (List.ofArray parameters))
            |> Result.bind (fun () ->
                if rightHandSides.Length = states.Length then Ok()
                else Error(sprintf "%d states but %d right-hand sides" states.Length rightHandSides.Length))
        rightHandSides
        |> Array.fold (fun acc rhs -> acc |> Result.bind (fun () -> check isKnown knownNames rhs)) checks
        |> Result.map (fun () ->
            let t = Expression.Parameter(typeof<float>, "time")
            let x = Expression.Parameter(typeof<float[]>, "state")
            let p = Expression.Parameter(typeof<float[]>, "parameters")
            let dx = Expression.Parameter(typeof<float[]>, "derivative")
            let leaf =
                function
                | Variable v when hasTime && v = time -> t :> Expression
                | Variable v -> Expression.ArrayIndex(x, Expression.Constant stateIndex[v]) :> Expression
                | Parameter(name, _) when parameterIndex.ContainsKey name ->
                    Expression.ArrayIndex(p, Expression.Constant parameterIndex[name]) :> Expression
                | Parameter(_, value) -> Expression.Constant value
                | e -> invalidOp (sprintf "not a leaf: %A" e)
            let assignments =
                rightHandSides
                |> Array.mapi (fun i rhs ->
                    Expression.Assign(Expression.ArrayAccess(dx, Expression.Constant i), linq leaf rhs) :> Expression)
            let body = Expression.Block(typeof<Void>, Array.append assignments [| Expression.Empty() :> Expression |])
            Expression.Lambda<OdeFunction>(body, [ t; x; p; dx ]).Compile())

    /// An ODE right-hand side with its parameter values fixed, as (time, state, derivative) for ODE solvers.
    [<CompiledName("BindParameters")>]
    let bindParameters (values: float[]) (f: OdeFunction) : Action<float, float[], float[]> =
        let values = Array.copy values
        Action<float, float[], float[]>(fun t x dx -> f.Invoke(t, x, values, dx))
