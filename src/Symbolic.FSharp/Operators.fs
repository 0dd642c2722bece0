namespace Symbolic

open System
open System.Collections.Generic
open System.Numerics.Tensors

/// Vectorised kernel of a unary operator: writes f(input[i]) to output[i] for i < count.
type UnaryKernel = delegate of input: float[] * output: float[] * count: int -> unit

/// Vectorised kernel of a binary operator: writes f(left[i], right[i]) to output[i] for i < count.
type BinaryKernel = delegate of left: float[] * right: float[] * output: float[] * count: int -> unit

/// How an operator computes one value.
[<RequireQualifiedAccess>]
type ScalarFunction =
    | Unary of (float -> float)
    | Binary of (float -> float -> float)

/// How an operator computes many values at once.
[<RequireQualifiedAccess>]
type VectorKernel =
    | Unary of UnaryKernel
    | Binary of BinaryKernel

/// Everything the core needs to know about an operator: its name, how to evaluate it (one value, many values), how to
/// differentiate it, how each printer writes it, how it maps onto canonical expressions, and what it costs in complexity.
/// Printer functions receive the already printed arguments.
type Operator =
    { /// The name used in infix text and in `Apply` nodes, e.g. "sin".
      Name: string
      /// Other names the parser accepts, e.g. "arcsin" for "asin".
      Aliases: string list
      Scalar: ScalarFunction
      Kernel: VectorKernel
      /// Builds the canonical expression for this operator applied to arguments (`square x` is `x^2`).
      Build: Expr list -> Expr
      /// Partial derivatives with respect to each argument, as expressions in the arguments.
      Partials: Expr list -> Expr list
      Latex: string list -> string
      MathML: string list -> string
      SymPy: string list -> string
      CSharp: string list -> string
      /// Default complexity of one application.
      Complexity: int }

    /// Number of arguments.
    member op.Arity =
        match op.Scalar with
        | ScalarFunction.Unary _ -> 1
        | ScalarFunction.Binary _ -> 2

/// The operator table: built-in operators and any that users register. Indices are stable for the life of the process
/// (compiled programs refer to operators by index).
[<RequireQualifiedAccess>]
module Operators =
    let private commaJoin (args: string list) = String.Join(", ", args)

    let private unaryKernel (f: float -> float) =
        UnaryKernel(fun input output count ->
            for i in 0 .. count - 1 do
                output[i] <- f input[i])

    let private binaryKernel (f: float -> float -> float) =
        BinaryKernel(fun left right output count ->
            for i in 0 .. count - 1 do
                output[i] <- f left[i] right[i])

    /// A unary operator with default printers (`name(a)` in every form, `\operatorname{name}` in LaTeX) and the
    /// element-wise loop as its kernel; use `with` to give a faster kernel or other printers.
    let unary (name: string) (f: float -> float) (partial: Expr -> Expr) : Operator =
        { Name = name
          Aliases = []
          Scalar = ScalarFunction.Unary f
          Kernel = VectorKernel.Unary(unaryKernel f)
          Build = fun args -> Apply(name, args)
          Partials = fun args -> [ partial (List.exactlyOne args) ]
          Latex = fun args -> sprintf @"\operatorname{%s}\left(%s\right)" name (commaJoin args)
          MathML = fun args -> sprintf "<mi>%s</mi><mo>&#x2061;</mo><mrow><mo>(</mo>%s<mo>)</mo></mrow>" name (String.Join("<mo>,</mo>", args))
          SymPy = fun args -> sprintf "%s(%s)" name (commaJoin args)
          CSharp = fun args -> sprintf "%s(%s)" name (commaJoin args)
          Complexity = 1 }

    /// A binary operator with default printers and the element-wise loop as its kernel.
    let binary (name: string) (f: float -> float -> float) (partials: Expr -> Expr -> Expr * Expr) : Operator =
        { unary name id id with
            Scalar = ScalarFunction.Binary f
            Kernel = VectorKernel.Binary(binaryKernel f)
            Partials =
                fun args ->
                    match args with
                    | [ a; b ] -> let da, db = partials a b in [ da; db ]
                    | _ -> invalidArg "args" (sprintf "%s takes two arguments" name) }

    // Spans cannot cross closures, so each kernel builds its spans over the arrays it is handed.
    let private tensorUnary (f: float[] -> float[] -> int -> unit) = VectorKernel.Unary(UnaryKernel f)
    let private tensorBinary (f: float[] -> float[] -> float[] -> int -> unit) = VectorKernel.Binary(BinaryKernel f)
    let inline private src (a: float[]) n = ReadOnlySpan<float>(a, 0, n)
    let inline private dst (a: float[]) n = Span<float>(a, 0, n)

    let private latexFunction (command: string) =
        fun (args: string list) -> sprintf @"%s\left(%s\right)" command (commaJoin args)

    let private call (prefix: string) = fun (args: string list) -> sprintf "%s(%s)" prefix (commaJoin args)

    let private signOf (x: float) =
        if x > 0.0 then 1.0
        elif x < 0.0 then -1.0
        else x // keeps 0 and NaN

    let private half = Expr.fraction 1 2

    /// The derivative of relu and the partials of max/min, written with sign so that they stay symbolic.
    let private step (x: Expr) = Expr.product [ half; Expr.add Expr.one (Apply("sign", [ x ])) ]

    let private builtins : Operator list =
        let ap name x = Apply(name, [ x ])
        [ { binary "add" (+) (fun _ _ -> Expr.one, Expr.one) with
              Kernel = tensorBinary (fun a b o n -> TensorPrimitives.Add(src a n, src b n, dst o n))
              Build = Expr.sum }
          { binary "sub" (-) (fun _ _ -> Expr.one, Expr.minusOne) with
              Kernel = tensorBinary (fun a b o n -> TensorPrimitives.Subtract(src a n, src b n, dst o n))
              Build = fun args -> Expr.subtract args[0] args[1] }
          { binary "mul" (*) (fun a b -> b, a) with
              Kernel = tensorBinary (fun a b o n -> TensorPrimitives.Multiply(src a n, src b n, dst o n))
              Build = Expr.product }
          { binary "div" (/) (fun a b -> Expr.invert b, Expr.negate (Expr.divide a (Expr.powerInt b 2))) with
              Kernel = tensorBinary (fun a b o n -> TensorPrimitives.Divide(src a n, src b n, dst o n))
              Build = fun args -> Expr.divide args[0] args[1] }
          { binary "pow" (fun a b -> Math.Pow(a, b)) (fun a b ->
                Expr.product [ b; Expr.power a (Expr.subtract b Expr.one) ],
                Expr.product [ Expr.power a b; ap "log" a ]) with
              Aliases = [ "power" ]
              Build = fun args -> Expr.power args[0] args[1] }
          { unary "neg" (fun x -> -x) (fun _ -> Expr.minusOne) with
              Kernel = tensorUnary (fun a o n -> TensorPrimitives.Negate(src a n, dst o n))
              Build = fun args -> Expr.negate args[0] }
          { unary "square" (fun x -> x * x) (fun a -> Expr.multiply Expr.two a) with
              Kernel = tensorUnary (fun a o n -> TensorPrimitives.Multiply(src a n, src a n, dst o n))
              Build = fun args -> Expr.powerInt args[0] 2 }
          { unary "cube" (fun x -> x * x * x) (fun a -> Expr.multiply (Expr.number 3) (Expr.powerInt a 2)) with
              Build = fun args -> Expr.powerInt args[0] 3 }
          { unary "inv" (fun x -> 1.0 / x) (fun a -> Expr.negate (Expr.powerInt a -2)) with
              Kernel = tensorUnary (fun a o n -> TensorPrimitives.Reciprocal(src a n, dst o n))
              Build = fun args -> Expr.invert args[0] }
          { unary "sqrt" Math.Sqrt (fun a -> Expr.product [ half; Expr.power a (Expr.fraction -1 2) ]) with
              Kernel = tensorUnary (fun a o n -> TensorPrimitives.Sqrt(src a n, dst o n))
              Build = fun args -> Expr.sqrt args[0] }
          { unary "cbrt" Math.Cbrt (fun a -> Expr.divide Expr.one (Expr.product [ Expr.number 3; Expr.powerInt (ap "cbrt" a) 2 ])) with
              Latex = fun args -> sprintf @"\sqrt[3]{%s}" (commaJoin args)
              MathML = fun args -> sprintf "<mroot><mrow>%s</mrow><mn>3</mn></mroot>" (commaJoin args)
              CSharp = call "Math.Cbrt" }
          { unary "abs" Math.Abs (fun a -> ap "sign" a) with
              Kernel = tensorUnary (fun a o n -> TensorPrimitives.Abs(src a n, dst o n))
              Latex = fun args -> sprintf @"\left|%s\right|" (commaJoin args)
              MathML = fun args -> sprintf "<mrow><mo>|</mo>%s<mo>|</mo></mrow>" (commaJoin args)
              SymPy = call "Abs"
              CSharp = call "Math.Abs" }
          { unary "sign" signOf (fun _ -> Expr.zero) with
              Latex = latexFunction @"\operatorname{sign}"
              CSharp = fun args -> sprintf "Discovery.Numerics.Sign(%s)" (commaJoin args) }
          { unary "exp" Math.Exp (fun a -> ap "exp" a) with
              Kernel = tensorUnary (fun a o n -> Lanewise.exp (src a n) (dst o n))
              Latex = fun args -> sprintf @"e^{%s}" (commaJoin args)
              CSharp = call "Math.Exp" }
          { unary "log" Math.Log Expr.invert with
              Aliases = [ "ln" ]
              Kernel = tensorUnary (fun a o n -> Lanewise.log (src a n) (dst o n))
              Latex = latexFunction @"\log"
              CSharp = call "Math.Log" }
          { unary "log10" Math.Log10 (fun a -> Expr.invert (Expr.product [ a; ap "log" (Expr.number 10) ])) with
              Latex = latexFunction @"\log_{10}"
              SymPy = fun args -> sprintf "log(%s, 10)" (commaJoin args)
              CSharp = call "Math.Log10" }
          { unary "sin" Math.Sin (fun a -> ap "cos" a) with
              Kernel = tensorUnary (fun a o n -> Lanewise.sin (src a n) (dst o n))
              Latex = latexFunction @"\sin"
              CSharp = call "Math.Sin" }
          { unary "cos" Math.Cos (fun a -> Expr.negate (ap "sin" a)) with
              Kernel = tensorUnary (fun a o n -> Lanewise.cos (src a n) (dst o n))
              Latex = latexFunction @"\cos"
              CSharp = call "Math.Cos" }
          { unary "tan" Math.Tan (fun a -> Expr.powerInt (ap "cos" a) -2) with
              Latex = latexFunction @"\tan"
              CSharp = call "Math.Tan" }
          { unary "asin" Math.Asin (fun a -> Expr.power (Expr.subtract Expr.one (Expr.powerInt a 2)) (Expr.fraction -1 2)) with
              Aliases = [ "arcsin" ]
              Latex = latexFunction @"\arcsin"
              CSharp = call "Math.Asin" }
          { unary "acos" Math.Acos (fun a ->
                Expr.negate (Expr.power (Expr.subtract Expr.one (Expr.powerInt a 2)) (Expr.fraction -1 2))) with
              Aliases = [ "arccos" ]
              Latex = latexFunction @"\arccos"
              CSharp = call "Math.Acos" }
          { unary "atan" Math.Atan (fun a -> Expr.invert (Expr.add Expr.one (Expr.powerInt a 2))) with
              Aliases = [ "arctan" ]
              Latex = latexFunction @"\arctan"
              CSharp = call "Math.Atan" }
          { unary "sinh" Math.Sinh (fun a -> ap "cosh" a) with
              Latex = latexFunction @"\sinh"
              CSharp = call "Math.Sinh" }
          { unary "cosh" Math.Cosh (fun a -> ap "sinh" a) with
              Latex = latexFunction @"\cosh"
              CSharp = call "Math.Cosh" }
          { unary "tanh" Math.Tanh (fun a -> Expr.subtract Expr.one (Expr.powerInt (ap "tanh" a) 2)) with
              Latex = latexFunction @"\tanh"
              CSharp = call "Math.Tanh" }
          { unary "relu" (fun x -> if x > 0.0 then x elif Double.IsNaN x then x else 0.0) step with
              SymPy = fun args -> sprintf "Max(0, %s)" (commaJoin args)
              CSharp = fun args -> sprintf "Math.Max(0.0, %s)" (commaJoin args) }
          { unary "erf" MathNet.Numerics.SpecialFunctions.Erf (fun a ->
                Expr.product [ Expr.two; Expr.power Expr.pi (Expr.fraction -1 2); ap "exp" (Expr.negate (Expr.powerInt a 2)) ]) with
              Latex = latexFunction @"\operatorname{erf}"
              CSharp = call "MathNet.Numerics.SpecialFunctions.Erf" }
          { binary "max" (fun a b -> Math.Max(a, b)) (fun a b -> step (Expr.subtract a b), step (Expr.subtract b a)) with
              Kernel = tensorBinary (fun a b o n -> TensorPrimitives.Max(src a n, src b n, dst o n))
              Latex = latexFunction @"\max"
              SymPy = call "Max"
              CSharp = call "Math.Max" }
          { binary "min" (fun a b -> Math.Min(a, b)) (fun a b -> step (Expr.subtract b a), step (Expr.subtract a b)) with
              Kernel = tensorBinary (fun a b o n -> TensorPrimitives.Min(src a n, src b n, dst o n))
              Latex = latexFunction @"\min"
              SymPy = call "Min"
              CSharp = call "Math.Min" } ]

    let private gate = obj ()
    let private byName = Dictionary<string, int>(StringComparer.Ordinal)
    let mutable private table : Operator[] = [||]

    let private add (op: Operator) =
        let index = table.Length
        for name in op.Name :: op.Aliases do
            byName[name] <- index
        table <- Array.append table [| op |]
        index

    do
        for op in builtins do
            add op |> ignore

    /// Registers a new operator (from F# or C#) and returns its index. Fails if the name or an alias is taken.
    let register (op: Operator) : int =
        lock gate (fun () ->
            match op.Name :: op.Aliases |> List.tryFind byName.ContainsKey with
            | Some taken -> invalidArg "op" (sprintf "an operator named '%s' is already registered" taken)
            | None -> add op)

    /// The index of an operator by name or alias.
    let tryIndexOf (name: string) : int option =
        lock gate (fun () ->
            match byName.TryGetValue name with
            | true, i -> Some i
            | _ -> None)

    /// The operator by name or alias.
    let tryFind (name: string) : Operator option = tryIndexOf name |> Option.map (fun i -> table[i])

    /// The operator by name or alias; throws KeyNotFoundException for an unknown name.
    let find (name: string) : Operator =
        match tryFind name with
        | Some op -> op
        | None -> raise (KeyNotFoundException(sprintf "unknown operator '%s'" name))

    /// The index of an operator by name or alias; throws KeyNotFoundException for an unknown name.
    let indexOf (name: string) : int =
        match tryIndexOf name with
        | Some i -> i
        | None -> raise (KeyNotFoundException(sprintf "unknown operator '%s'" name))

    /// The operator at an index (as returned by `register` or `indexOf`).
    let byIndex (index: int) : Operator = table[index]

    /// All operators, in index order.
    let all () : Operator list = List.ofArray table
