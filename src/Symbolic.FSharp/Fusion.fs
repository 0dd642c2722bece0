namespace Symbolic

open System
open System.Linq.Expressions
open System.Reflection
open System.Runtime.Intrinsics

/// The second tier of the evaluator. The interpreter runs a plan step by step, each step one pass over a batch in
/// memory; a program evaluated often enough is fused instead: its whole plan becomes one loop, generated at run time
/// (System.Linq.Expressions), that keeps every intermediate value in vector registers, as a hand-written loop would.
/// Generating costs a few milliseconds, so only programs that have already spent several times that long in the
/// interpreter are fused. Plans stay interpreted when an operator has no inlinable vector form: operators registered by users,
/// and tan, asin, acos, atan, sinh, cosh, cbrt, log10 and non-integer powers, whose batch kernels (a call per
/// batch, not per vector) run faster than a call per vector inside the fused loop would.
[<RequireQualifiedAccess>]
module internal Fusion =
    /// The vector API of one width: vector type, its static class and lanes.
    type private Width = { Vector: Type; Api: Type; Lanes: int }

    let private width: Width option =
        if Vector512.IsHardwareAccelerated then
            Some { Vector = typeof<Vector512<float>>; Api = typeof<Vector512<float>>.Assembly.GetType("System.Runtime.Intrinsics.Vector512"); Lanes = Vector512<float>.Count }
        elif Vector256.IsHardwareAccelerated then
            Some { Vector = typeof<Vector256<float>>; Api = typeof<Vector256<float>>.Assembly.GetType("System.Runtime.Intrinsics.Vector256"); Lanes = Vector256<float>.Count }
        else None

    /// The vector API's method `name` taking `arity` vectors of doubles (generic ones closed over float).
    let private vectorMethod (w: Width) (name: string) (parameters: Type[]) =
        w.Api.GetMethods(BindingFlags.Public ||| BindingFlags.Static)
        |> Array.tryPick (fun m ->
            if m.Name <> name then None
            else
                let closed =
                    if m.IsGenericMethodDefinition && m.GetGenericArguments().Length = 1 then
                        try Some(m.MakeGenericMethod typeof<float>) with :? ArgumentException -> None
                    elif m.IsGenericMethodDefinition then None
                    else Some m
                closed
                |> Option.filter (fun c -> c.GetParameters() |> Array.map (fun p -> p.ParameterType) = parameters))
        |> Option.defaultWith (fun () -> failwithf "the vector API has no %s(%A)" name parameters)

    /// Builds the loop for a plan, or None when some step has no vector form.
    let private generate (w: Width) (plan: ExecutionPlan) (parameterCount: int) : FusedKernel option =
        let v = w.Vector
        let call name (args: Expression list) =
            Expression.Call(vectorMethod w name (args |> List.map (fun a -> a.Type) |> Array.ofList), args) :> Expression
        let broadcast = vectorMethod w "Create" [| typeof<float> |]
        // Unchecked loads and stores: the evaluator has checked that every column holds at least `count` rows and
        // the loop never reads or writes past count - lanes + lanes.
        let load = vectorMethod w "LoadUnsafe" [| typeof<float>.MakeByRefType(); typeof<unativeint> |]
        let store = vectorMethod w "StoreUnsafe" [| v; typeof<float>.MakeByRefType(); typeof<unativeint> |]
        let first (array: Expression) = Expression.ArrayAccess(array, Expression.Constant 0) :> Expression
        let columns = Expression.Parameter(typeof<float[][]>, "columns")
        let registers = Expression.Parameter(typeof<float[]>, "registers")
        let output = Expression.Parameter(typeof<float[]>, "output")
        let count = Expression.Parameter(typeof<int>, "count")
        let i = Expression.Variable(typeof<int>, "i")
        let j = Expression.Variable(typeof<int>, "j")
        let offset = Expression.Variable(typeof<unativeint>, "offset")
        // Finite values give x - x = 0, infinities and NaN give NaN, which the sum keeps: one check for all rows.
        let nonFinite = Expression.Variable(v, "nonFinite")
        let locals = Collections.Generic.List<ParameterExpression>([ i; j; offset; nonFinite ])
        let before = Collections.Generic.List<Expression>()
        let body = Collections.Generic.List<Expression>()
        let local (t: Type) (name: string) =
            let p = Expression.Variable(t, name)
            locals.Add p
            p
        // Registers are broadcast once before the loop; columns are read once per iteration, temps are locals.
        let registerVectors = Collections.Generic.Dictionary<int, ParameterExpression>()
        let columnArrays = Collections.Generic.Dictionary<int, ParameterExpression>()
        let columnVectors = Collections.Generic.Dictionary<int, ParameterExpression>()
        let temps = Collections.Generic.Dictionary<int, Expression>()
        let one = lazy (let p = local v "one" in before.Add(Expression.Assign(p, Expression.Call(broadcast, Expression.Constant 1.0))); p :> Expression)
        let zero = lazy (let p = local v "zero" in before.Add(Expression.Assign(p, Expression.Call(broadcast, Expression.Constant 0.0))); p :> Expression)
        let read (s: Source) : Expression =
            match s.Kind with
            | SourceKind.Register ->
                match registerVectors.TryGetValue s.Index with
                | true, p -> p
                | _ ->
                    let p = local v (sprintf "r%d" s.Index)
                    before.Add(
                        Expression.Assign(
                            p, Expression.Call(broadcast, Expression.ArrayIndex(registers, Expression.Constant s.Index))))
                    registerVectors[s.Index] <- p
                    p
            | SourceKind.Column ->
                match columnVectors.TryGetValue s.Index with
                | true, p -> p
                | _ ->
                    let array = local typeof<float[]> (sprintf "column%d" s.Index)
                    before.Add(Expression.Assign(array, Expression.ArrayIndex(columns, Expression.Constant s.Index)))
                    columnArrays[s.Index] <- array
                    let p = local v (sprintf "x%d" s.Index)
                    columnVectors[s.Index] <- p
                    p
            | _ -> temps[s.Index]
        // Registers past the parameters that no prologue step writes hold numbers known now: the generated loop can
        // drop a multiplication by 1 or an addition of 0 (the planner's affine forms of -x, x*k and x + k).
        let computed = plan.Prologue |> Array.map (fun p -> p.Dest) |> Set.ofArray
        let known (s: Source) =
            if s.Kind = SourceKind.Register && s.Index >= parameterCount && not (computed.Contains s.Index) then
                ValueSome plan.Registers[s.Index]
            else ValueNone
        let affine (a: Source) (scale: Source) (shift: Source) : Expression =
            let product: Expression =
                match known scale with
                | ValueSome 1.0 -> read a
                | ValueSome -1.0 -> Expression.Negate(read a)
                | _ -> Expression.Multiply(read a, read scale)
            match known shift with
            | ValueSome 0.0 -> product
            | _ -> Expression.Add(product, read shift)
        let intPower (x: Expression) (n: int) =
            let struct (baseCase, bits, levels) = Kernels.powerChain (abs n)
            let mutable r: Expression =
                match baseCase with
                | 0 -> one.Force()
                | 1 -> x
                | 2 -> Expression.Multiply(x, x)
                | 3 -> Expression.Multiply(Expression.Multiply(x, x), x)
                | _ ->
                    let s = local v "s"
                    body.Add(Expression.Assign(s, Expression.Multiply(x, x)))
                    Expression.Multiply(s, s)
            for level in 0 .. levels - 1 do
                let t = local v "t"
                body.Add(Expression.Assign(t, r))
                r <- Expression.Multiply(t, t)
                if (bits >>> level) &&& 1 = 1 then r <- Expression.Multiply(r, x)
            if n < 0 then Expression.Divide(one.Force(), r) :> Expression else r
        let constant (c: float) = Expression.Call(broadcast, Expression.Constant c) :> Expression
        let assign (e: Expression) =
            let t = local v (sprintf "u%d" body.Count)
            body.Add(Expression.Assign(t, e))
            t :> Expression
        let horner (coefficients: float[]) (t: Expression) =
            let mutable r = constant coefficients[coefficients.Length - 1]
            for k in coefficients.Length - 2 .. -1 .. 0 do
                r <- Expression.Add(Expression.Multiply(r, t), constant coefficients[k])
            r
        // The interpreter's tanh kernel written inline (see Kernels.tanh): both forms computed, one selected per lane.
        let tanh (x: Expression) =
            let x = assign x
            let a = assign (call "Min" [ call "Abs" [ x ]; constant 20.0 ])
            let e = assign (call "Exp" [ Expression.Add(a, a) ])
            let small = call "LessThanOrEqual" [ a; constant 0.5 ]
            let p, q = Kernels.tanhNearZero
            let t = assign (Expression.Multiply(x, x))
            let one = constant 1.0
            let numerator =
                call "ConditionalSelect" [ small; Expression.Multiply(x, horner p t); call "CopySign" [ Expression.Subtract(e, one); x ] ]
            let denominator = call "ConditionalSelect" [ small; horner q t; Expression.Add(e, one) ]
            Expression.Divide(numerator, denominator) :> Expression
        let unary (code: Code) (x: Expression) : Expression option =
            match code with
            | Code.Neg -> Some(Expression.Negate x)
            | Code.Square -> Some(Expression.Multiply(x, x))
            | Code.Cube -> Some(intPower x 3)
            | Code.Inv -> Some(Expression.Divide(one.Force(), x))
            | Code.Sqrt -> Some(call "Sqrt" [ x ])
            | Code.Abs -> Some(call "Abs" [ x ])
            | Code.Exp -> Some(call "Exp" [ x ])
            | Code.Log -> Some(call "Log" [ x ])
            | Code.Sin -> Some(call "Sin" [ x ])
            | Code.Cos -> Some(call "Cos" [ x ])
            | Code.Relu -> Some(call "Max" [ x; zero.Force() ])
            | Code.Tanh -> Some(tanh x)
            | _ -> None
        let binary (code: Code) (a: Expression) (b: Expression) : Expression option =
            match code with
            | Code.Add -> Some(Expression.Add(a, b))
            | Code.Sub -> Some(Expression.Subtract(a, b))
            | Code.Mul -> Some(Expression.Multiply(a, b))
            | Code.Div -> Some(Expression.Divide(a, b))
            | Code.Max -> Some(call "Max" [ a; b ])
            | Code.Min -> Some(call "Min" [ a; b ])
            | _ -> None
        let mutable fusable = plan.Result.Kind = SourceKind.Temp
        let mutable result: Expression = null
        for s in plan.Steps do
            if fusable then
                let value =
                    match s.Kind with
                    | StepKind.Unary -> unary s.Code (read s.A)
                    | StepKind.Binary -> binary s.Code (read s.A) (read s.B)
                    | StepKind.MultiplyAdd -> Some(affine s.A s.B s.C)
                    | StepKind.IntPower -> Some(intPower (read s.A) s.N)
                    | StepKind.UnaryAffine -> unary s.Code (affine s.A s.B s.C)
                    | _ -> None
                match value with
                | Some e ->
                    let t = local v (sprintf "t%d" body.Count)
                    body.Add(Expression.Assign(t, e))
                    if s.Dest < 0 then result <- t else temps[s.Dest] <- t
                | None -> fusable <- false
        if not fusable || isNull result then None
        else
            let lanes = Expression.Constant w.Lanes
            let exit = Expression.Label "exit"
            let loads =
                columnVectors
                |> Seq.map (fun kv ->
                    Expression.Assign(kv.Value, Expression.Call(load, first columnArrays[kv.Key], offset)) :> Expression)
                |> List.ofSeq
            let iteration =
                [ yield Expression.IfThen(Expression.GreaterThanOrEqual(i, count), Expression.Break exit) :> Expression
                  // The last vector overlaps the one before instead of a scalar tail: each row depends only on itself.
                  yield Expression.Assign(j, Expression.Call(typeof<Math>.GetMethod("Min", [| typeof<int>; typeof<int> |]), i, Expression.Subtract(count, lanes)))
                  yield Expression.Assign(offset, Expression.Convert(Expression.Convert(j, typeof<uint32>), typeof<unativeint>))
                  yield! loads
                  yield! body
                  yield Expression.Call(store, result, first output, offset)
                  yield Expression.AddAssign(nonFinite, Expression.Subtract(result, result))
                  yield Expression.AddAssign(i, lanes) ]
            let zeroVector = Expression.Call(broadcast, Expression.Constant 0.0)
            let block =
                Expression.Block(
                    typeof<bool>,
                    locals,
                    Seq.concat
                        [ Seq.ofList
                              [ Expression.Assign(i, Expression.Constant 0) :> Expression
                                Expression.Assign(nonFinite, zeroVector) ]
                          before :> seq<_>
                          Seq.ofList
                              [ Expression.Loop(Expression.Block(iteration), exit) :> Expression
                                Expression.Call(vectorMethod w "EqualsAll" [| v; v |], nonFinite, zeroVector) ] ])
            let lambda = Expression.Lambda<FusedKernel>(block, [ columns; registers; output; count ])
            Some(lambda.Compile())

    /// Node-rows (instructions times rows) a plan runs in the interpreter before it is fused: about 10-30 ms of
    /// interpreting, several times what generating the loop costs (2-10 ms), so a program fused and then dropped
    /// wastes little.
    [<Literal>]
    let Threshold = 8_388_608L

    /// Fewest rows a fused loop can run (one vector).
    let minimumRows = width |> Option.map (fun w -> w.Lanes) |> Option.defaultValue Int32.MaxValue

    /// Fuses the plan now if that has not been tried; true when it is fused.
    let fuse (plan: ExecutionPlan) (parameterCount: int) : bool =
        if plan.State = FusionState.Interpreted then
            lock plan (fun () ->
                if plan.State = FusionState.Interpreted then
                    match width |> Option.bind (fun w -> generate w plan parameterCount) with
                    | Some kernel ->
                        plan.Fused <- kernel
                        plan.State <- FusionState.Fused
                    | None -> plan.State <- FusionState.Unfusable)
        plan.State = FusionState.Fused

    /// The fused loop to run `rows` rows of a program with `nodes` instructions, or null to interpret: counts the
    /// work and fuses the plan once it passes the threshold.
    let kernelFor (plan: ExecutionPlan) (parameterCount: int) (nodes: int) (rows: int) : FusedKernel =
        match plan.State with
        | FusionState.Fused when rows >= minimumRows -> plan.Fused
        | FusionState.Interpreted when rows >= minimumRows ->
            let work = Threading.Interlocked.Add(&plan.Work, int64 nodes * int64 rows)
            if work >= Threshold && fuse plan parameterCount then plan.Fused else null
        | _ -> null
