namespace Symbolic

open System
open System.Numerics.Tensors
open System.Runtime.InteropServices
open System.Runtime.Intrinsics

/// Vector kernels over spans for the built-in operators (System.Numerics.Tensors where it has the operation, own
/// SIMD loops for the rest). Destinations may be the very same memory as an input, never a partial overlap.
[<RequireQualifiedAccess>]
module internal Kernels =
    let private relu (x: ReadOnlySpan<float>) (d: Span<float>) = TensorPrimitives.Max(x, 0.0, d)

    /// x ^ n for n >= 1 in the order of F#'s `pown` (so that results agree to the last bit).
    let inline private power (one: ^V) (x: ^V) (n: int) : ^V =
        let rec go n =
            match n with
            | 0 -> one
            | 1 -> x
            | 2 -> x * x
            | 3 -> x * x * x
            | 4 ->
                let v = x * x
                v * v
            | n ->
                let v = go (n / 2)
                let v = v * v
                if n % 2 = 0 then v else v * x
        go n

    /// d = x ^ n for a small integer n (negative: the reciprocal), multiplying as F#'s `pown` does.
    let intPower (x: ReadOnlySpan<float>) (n: int) (d: Span<float>) =
        let m = abs n
        let mutable i = 0
        if Vector512.IsHardwareAccelerated then
            let xs = MemoryMarshal.Cast<float, Vector512<float>> x
            let ds = MemoryMarshal.Cast<float, Vector512<float>> d
            let one = Vector512.Create 1.0
            for k in 0 .. xs.Length - 1 do
                let r = power one xs[k] m
                ds[k] <- if n < 0 then one / r else r
            i <- xs.Length * Vector512<float>.Count
        elif Vector256.IsHardwareAccelerated then
            let xs = MemoryMarshal.Cast<float, Vector256<float>> x
            let ds = MemoryMarshal.Cast<float, Vector256<float>> d
            let one = Vector256.Create 1.0
            for k in 0 .. xs.Length - 1 do
                let r = power one xs[k] m
                ds[k] <- if n < 0 then one / r else r
            i <- xs.Length * Vector256<float>.Count
        while i < x.Length do
            let r = power 1.0 x[i] m
            d[i] <- if n < 0 then 1.0 / r else r
            i <- i + 1

    /// d = x * a + b for scalars a and b (the two roundings of the unfused form).
    let affine (x: ReadOnlySpan<float>) (a: float) (b: float) (d: Span<float>) =
        let mutable i = 0
        if Vector512.IsHardwareAccelerated then
            let xs = MemoryMarshal.Cast<float, Vector512<float>> x
            let ds = MemoryMarshal.Cast<float, Vector512<float>> d
            let va = Vector512.Create a
            let vb = Vector512.Create b
            for k in 0 .. xs.Length - 1 do
                ds[k] <- xs[k] * va + vb
            i <- xs.Length * Vector512<float>.Count
        elif Vector256.IsHardwareAccelerated then
            let xs = MemoryMarshal.Cast<float, Vector256<float>> x
            let ds = MemoryMarshal.Cast<float, Vector256<float>> d
            let va = Vector256.Create a
            let vb = Vector256.Create b
            for k in 0 .. xs.Length - 1 do
                ds[k] <- xs[k] * va + vb
            i <- xs.Length * Vector256<float>.Count
        while i < x.Length do
            d[i] <- x[i] * a + b
            i <- i + 1

    /// Hyperbolic functions through exp where that is accurate (|x| >= 0.5) and the scalar function below, where
    /// System.Numerics.Tensors' own kernels lose relative accuracy (they are off by 1e-8 at 1e-9).
    let private hyperbolic (large: Vector512<float> -> Vector512<float>) (scalar: float -> float)
        (x: ReadOnlySpan<float>) (d: Span<float>) =
        let mutable i = 0
        if Vector512.IsHardwareAccelerated then
            let xs = MemoryMarshal.Cast<float, Vector512<float>> x
            let ds = MemoryMarshal.Cast<float, Vector512<float>> d
            let threshold = Vector512.Create 0.5
            for k in 0 .. xs.Length - 1 do
                let v = xs[k]
                ds[k] <- large v
                if Vector512.LessThanAny(Vector512.Abs v, threshold) then
                    for j in 0 .. Vector512<float>.Count - 1 do
                        let e = v.GetElement j
                        if abs e < 0.5 then d[k * Vector512<float>.Count + j] <- scalar e
            i <- xs.Length * Vector512<float>.Count
        while i < x.Length do
            d[i] <- scalar x[i]
            i <- i + 1

    let private one512 = Vector512.Create 1.0
    let private two512 = Vector512.Create 2.0

    let private tanh (x: ReadOnlySpan<float>) (d: Span<float>) =
        hyperbolic
            (fun v ->
                let a = Vector512.Abs v
                let e = Vector512.Exp(a + a)
                Vector512.CopySign(one512 - two512 / (e + one512), v))
            Math.Tanh x d

    let private sinh (x: ReadOnlySpan<float>) (d: Span<float>) =
        hyperbolic
            (fun v ->
                let e = Vector512.Exp(Vector512.Abs v)
                Vector512.CopySign((e - one512 / e) / two512, v))
            Math.Sinh x d

    /// d = op(x) for an operator with a fast path; false if it has none.
    let unary (code: Code) (x: ReadOnlySpan<float>) (d: Span<float>) : bool =
        match code with
        | Code.Neg -> TensorPrimitives.Negate(x, d); true
        | Code.Square -> TensorPrimitives.Multiply(x, x, d); true
        | Code.Cube -> intPower x 3 d; true
        | Code.Inv -> TensorPrimitives.Reciprocal(x, d); true
        | Code.Sqrt -> TensorPrimitives.Sqrt(x, d); true
        | Code.Cbrt -> TensorPrimitives.Cbrt(x, d); true
        | Code.Abs -> TensorPrimitives.Abs(x, d); true
        | Code.Exp -> TensorPrimitives.Exp(x, d); true
        | Code.Log -> TensorPrimitives.Log(x, d); true
        | Code.Log10 -> TensorPrimitives.Log10(x, d); true
        | Code.Sin -> TensorPrimitives.Sin(x, d); true
        | Code.Cos -> TensorPrimitives.Cos(x, d); true
        | Code.Tan -> TensorPrimitives.Tan(x, d); true
        | Code.Asin -> TensorPrimitives.Asin(x, d); true
        | Code.Acos -> TensorPrimitives.Acos(x, d); true
        | Code.Atan -> TensorPrimitives.Atan(x, d); true
        | Code.Sinh -> sinh x d; true
        | Code.Cosh -> TensorPrimitives.Cosh(x, d); true
        | Code.Tanh -> tanh x d; true
        | Code.Relu -> relu x d; true
        | _ -> false

    /// d = op(x, y) for two vectors; false if the operator has no fast path.
    let binary (code: Code) (x: ReadOnlySpan<float>) (y: ReadOnlySpan<float>) (d: Span<float>) : bool =
        match code with
        | Code.Add -> TensorPrimitives.Add(x, y, d); true
        | Code.Sub -> TensorPrimitives.Subtract(x, y, d); true
        | Code.Mul -> TensorPrimitives.Multiply(x, y, d); true
        | Code.Div -> TensorPrimitives.Divide(x, y, d); true
        | Code.Pow -> TensorPrimitives.Pow(x, y, d); true
        | Code.Max -> TensorPrimitives.Max(x, y, d); true
        | Code.Min -> TensorPrimitives.Min(x, y, d); true
        | _ -> false

    /// d = op(x, y) for a vector and a scalar; false if the operator has no fast path.
    let binaryVS (code: Code) (x: ReadOnlySpan<float>) (y: float) (d: Span<float>) : bool =
        match code with
        | Code.Add -> TensorPrimitives.Add(x, y, d); true
        | Code.Sub -> TensorPrimitives.Subtract(x, y, d); true
        | Code.Mul -> TensorPrimitives.Multiply(x, y, d); true
        | Code.Div -> TensorPrimitives.Divide(x, y, d); true
        | Code.Pow -> TensorPrimitives.Pow(x, y, d); true
        | Code.Max -> TensorPrimitives.Max(x, y, d); true
        | Code.Min -> TensorPrimitives.Min(x, y, d); true
        | _ -> false

    /// d = op(x, y) for a scalar and a vector; false if the operator has no fast path.
    let binarySV (code: Code) (x: float) (y: ReadOnlySpan<float>) (d: Span<float>) : bool =
        match code with
        | Code.Add -> TensorPrimitives.Add(y, x, d); true
        | Code.Sub -> TensorPrimitives.Subtract(x, y, d); true
        | Code.Mul -> TensorPrimitives.Multiply(y, x, d); true
        | Code.Div -> TensorPrimitives.Divide(x, y, d); true
        | Code.Pow -> TensorPrimitives.Pow(x, y, d); true
        | Code.Max -> TensorPrimitives.Max(y, x, d); true
        | Code.Min -> TensorPrimitives.Min(y, x, d); true
        | _ -> false
