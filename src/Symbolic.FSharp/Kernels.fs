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

    /// How to raise to the power m >= 1 in the order of F#'s `pown` (so that results agree to the last bit): `pown`
    /// recurses x^m = (x^(m/2))^2 (times x when m is odd) down to m <= 4, computed directly. Returns the base case
    /// and, from the innermost level out, a bit per level: 1 when that level multiplies by x once more.
    let powerChain (m: int) =
        let mutable n = m
        let mutable bits = 0
        let mutable levels = 0
        while n > 4 do
            bits <- (bits <<< 1) ||| (n &&& 1)
            levels <- levels + 1
            n <- n / 2
        struct (n, bits, levels)

    /// d = x ^ n for a small integer n (negative: the reciprocal), multiplying as F#'s `pown` does.
    let intPower (x: ReadOnlySpan<float>) (n: int) (d: Span<float>) =
        let struct (base', bits, levels) = powerChain (abs n)
        let mutable i = 0
        if Vector512.IsHardwareAccelerated then
            let xs = MemoryMarshal.Cast<float, Vector512<float>> x
            let ds = MemoryMarshal.Cast<float, Vector512<float>> d
            let one = Vector512.Create 1.0
            for k in 0 .. xs.Length - 1 do
                let v = xs[k]
                let mutable r =
                    match base' with
                    | 0 -> one
                    | 1 -> v
                    | 2 -> v * v
                    | 3 -> v * v * v
                    | _ -> let s = v * v in s * s
                for level in 0 .. levels - 1 do
                    r <- r * r
                    if (bits >>> level) &&& 1 = 1 then r <- r * v
                ds[k] <- if n < 0 then one / r else r
            i <- xs.Length * Vector512<float>.Count
        elif Vector256.IsHardwareAccelerated then
            let xs = MemoryMarshal.Cast<float, Vector256<float>> x
            let ds = MemoryMarshal.Cast<float, Vector256<float>> d
            let one = Vector256.Create 1.0
            for k in 0 .. xs.Length - 1 do
                let v = xs[k]
                let mutable r =
                    match base' with
                    | 0 -> one
                    | 1 -> v
                    | 2 -> v * v
                    | 3 -> v * v * v
                    | _ -> let s = v * v in s * s
                for level in 0 .. levels - 1 do
                    r <- r * r
                    if (bits >>> level) &&& 1 = 1 then r <- r * v
                ds[k] <- if n < 0 then one / r else r
            i <- xs.Length * Vector256<float>.Count
        while i < x.Length do
            let v = x[i]
            let mutable r =
                match base' with
                | 0 -> 1.0
                | 1 -> v
                | 2 -> v * v
                | 3 -> v * v * v
                | _ -> let s = v * v in s * s
            for level in 0 .. levels - 1 do
                r <- r * r
                if (bits >>> level) &&& 1 = 1 then r <- r * v
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

    /// Polynomial coefficients (lowest degree first) of the convergents A/B of Lambert's continued fraction
    /// tanh(x)/x = 1/(1 + t/(3 + t/(5 + ...))) with t = x^2, to the given depth.
    let private tanhConvergent (depth: int) =
        // A_k = b_k A_(k-1) + a_k A_(k-2) with a_1 = 1, b_1 = 1, and a_k = t, b_k = 2k - 1 after.
        let add (p: float[]) (q: float[]) =
            Array.init (max p.Length q.Length) (fun i ->
                (if i < p.Length then p[i] else 0.0) + (if i < q.Length then q[i] else 0.0))
        let scale (c: float) (p: float[]) = p |> Array.map ((*) c)
        let timesT (p: float[]) = Array.append [| 0.0 |] p
        let mutable a2, a1 = [| 1.0 |], [| 0.0 |]
        let mutable b2, b1 = [| 0.0 |], [| 1.0 |]
        for k in 1 .. depth do
            let next (p1: float[]) (p2: float[]) =
                if k = 1 then add p1 p2 else add (scale (float (2 * k - 1)) p1) (timesT p2)
            let a = next a1 a2
            let b = next b1 b2
            a2 <- a1
            a1 <- a
            b2 <- b1
            b1 <- b
        a1, b1

    /// tanh(x)/x = P(x^2)/Q(x^2) for |x| <= 1/2 (error below 1e-17 at depth 9).
    let private tanhP, private tanhQ = tanhConvergent 9

    /// Numerator and denominator coefficients (lowest degree first, in t = x^2) of the tanh approximation near 0:
    /// tanh x = x P(t) / Q(t) for |x| <= 1/2.
    let tanhNearZero = tanhP, tanhQ

    /// sinh(x)/x = sum of t^k/(2k+1)! for |x| <= 1/2 (nine terms: error below 1e-19).
    let private sinhSeries = Array.init 9 (fun k -> 1.0 / Seq.fold (fun f i -> f * float i) 1.0 (seq { 1 .. 2 * k + 1 }))

    let inline private horner (coefficients: float[]) (t: Vector512<float>) =
        let mutable r = Vector512.Create coefficients[coefficients.Length - 1]
        for i in coefficients.Length - 2 .. -1 .. 0 do
            r <- r * t + Vector512.Create coefficients[i]
        r

    let private half512 = Vector512.Create 0.5
    let private one512 = Vector512.Create 1.0

    let private twenty512 = Vector512.Create 20.0

    /// tanh and sinh: through exp where that is accurate (|x| > 1/2), by the series or continued fraction above
    /// near 0, where System.Numerics.Tensors' own kernels lose relative accuracy (off by 1e-8 at x = 1e-9).
    let private tanh512 (v: Vector512<float>) =
        // tanh |x| = (e - 1) / (e + 1) with e = exp(2 |x|), |x| capped at 20 where tanh is 1 to the last bit
        // (a NaN stays NaN: the comparison is false for it).
        let a = Vector512.Abs v
        let a = Vector512.ConditionalSelect(Vector512.GreaterThan(a, twenty512), twenty512, a)
        let e = Vector512.Exp(a + a)
        let small = Vector512.LessThanOrEqual(a, half512)
        if Vector512.ExtractMostSignificantBits small <> 0UL then
            // One division for both forms: x P(x^2) / Q(x^2) near 0, the exp form elsewhere.
            let t = v * v
            let numerator = Vector512.ConditionalSelect(small, v * horner tanhP t, Vector512.CopySign(e - one512, v))
            let denominator = Vector512.ConditionalSelect(small, horner tanhQ t, e + one512)
            numerator / denominator
        else Vector512.CopySign((e - one512) / (e + one512), v)

    /// sinh of one vector (see `tanh512`).
    let private sinh512 (v: Vector512<float>) =
        let a = Vector512.Abs v
        let e = Vector512.Exp a
        let large = Vector512.CopySign((e - one512 / e) * half512, v)
        let small = Vector512.LessThanOrEqual(a, half512)
        if Vector512.ExtractMostSignificantBits small <> 0UL then
            Vector512.ConditionalSelect(small, v * horner sinhSeries (v * v), large)
        else large

    let private tanh (x: ReadOnlySpan<float>) (d: Span<float>) = Lanewise.map512 tanh512 Math.Tanh x d

    let private sinh (x: ReadOnlySpan<float>) (d: Span<float>) = Lanewise.map512 sinh512 Math.Sinh x d

    /// d = op(x * a + b) for exp, log, sin, cos and sqrt in one pass (the argument rounded as the two steps would).
    let unaryAffine (code: Code) (x: ReadOnlySpan<float>) (a: float) (b: float) (d: Span<float>) =
        let va = Vector512.Create a
        let vb = Vector512.Create b
        match code with
        | Code.Exp -> Lanewise.map512 (fun v -> Vector512.Exp(v * va + vb)) (fun s -> Math.Exp(s * a + b)) x d
        | Code.Log -> Lanewise.map512 (fun v -> Vector512.Log(v * va + vb)) (fun s -> Math.Log(s * a + b)) x d
        | Code.Sin -> Lanewise.map512 (fun v -> Vector512.Sin(v * va + vb)) (fun s -> Math.Sin(s * a + b)) x d
        | Code.Cos -> Lanewise.map512 (fun v -> Vector512.Cos(v * va + vb)) (fun s -> Math.Cos(s * a + b)) x d
        | _ -> Lanewise.map512 (fun v -> Vector512.Sqrt(v * va + vb)) (fun s -> Math.Sqrt(s * a + b)) x d

    /// d = p * t, except that d = 0 where p = 0 or t = 0 even if the other is infinite or NaN (the chain rule through
    /// a saturated operator, tanh(u) for huge u, or through a singular one, sqrt(u) at u = 0 where u does not move).
    let strongZeroMultiply (p: ReadOnlySpan<float>) (t: ReadOnlySpan<float>) (d: Span<float>) =
        let mutable i = 0
        if Vector512.IsHardwareAccelerated then
            let ps = MemoryMarshal.Cast<float, Vector512<float>> p
            let ts = MemoryMarshal.Cast<float, Vector512<float>> t
            let ds = MemoryMarshal.Cast<float, Vector512<float>> d
            for k in 0 .. ps.Length - 1 do
                let v = ps[k]
                let w = ts[k]
                let zero = Vector512.Equals(v, Vector512<float>.Zero) ||| Vector512.Equals(w, Vector512<float>.Zero)
                ds[k] <- Vector512.ConditionalSelect(zero, Vector512<float>.Zero, v * w)
            i <- ps.Length * Vector512<float>.Count
        while i < p.Length do
            d[i] <- if p[i] = 0.0 || t[i] = 0.0 then 0.0 else p[i] * t[i]
            i <- i + 1

    /// d = op(x) for an operator with a fast path; false if it has none.
    let unary (code: Code) (x: ReadOnlySpan<float>) (d: Span<float>) : bool =
        match code with
        | Code.Neg -> TensorPrimitives.Negate(x, d); true
        | Code.Square -> TensorPrimitives.Multiply(x, x, d); true
        | Code.Cube -> intPower x 3 d; true
        | Code.Inv -> TensorPrimitives.Reciprocal(x, d); true
        | Code.Sqrt -> TensorPrimitives.Sqrt(x, d); true
        | Code.Cbrt -> Lanewise.scalar Math.Cbrt x d; true
        | Code.Abs -> TensorPrimitives.Abs(x, d); true
        | Code.Exp -> Lanewise.exp x d; true
        | Code.Log -> Lanewise.log x d; true
        | Code.Log10 -> Lanewise.scalar Math.Log10 x d; true
        | Code.Sin -> Lanewise.sin x d; true
        | Code.Cos -> Lanewise.cos x d; true
        | Code.Tan -> Lanewise.scalar Math.Tan x d; true
        | Code.Asin -> Lanewise.scalar Math.Asin x d; true
        | Code.Acos -> Lanewise.scalar Math.Acos x d; true
        | Code.Atan -> Lanewise.scalar Math.Atan x d; true
        | Code.Sinh -> sinh x d; true
        | Code.Cosh -> Lanewise.scalar Math.Cosh x d; true
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
        | Code.Pow -> Lanewise.pow x y d; true
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
        | Code.Pow -> Lanewise.powScalarExponent x y d; true
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
        | Code.Pow -> Lanewise.powScalarBase x y d; true
        | Code.Max -> TensorPrimitives.Max(y, x, d); true
        | Code.Min -> TensorPrimitives.Min(y, x, d); true
        | _ -> false
