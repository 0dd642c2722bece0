namespace Symbolic

open System
open System.Runtime.InteropServices
open System.Runtime.Intrinsics

/// Element-wise exp, log, sin, cos and pow over spans whose results do not depend on where the spans lie in memory.
/// System.Numerics.Tensors peels off an unaligned head (and tail) of a span with other code than its vector body, and
/// the two disagree in the last bit for sin, cos and exp: the same data gave different losses, and the search
/// different equations, depending on where the garbage collector had put an array. Here whole vectors run from the
/// first element and only the last `length % width` elements take the scalar path, so every element is computed the
/// same way for a given length.
[<RequireQualifiedAccess>]
module Lanewise =
    /// d = wide(x) in whole Vector512s from the first element, scalar(x) for the rest (all of it without AVX-512).
    let inline internal map512
        ([<InlineIfLambda>] wide: Vector512<float> -> Vector512<float>)
        ([<InlineIfLambda>] scalar: float -> float)
        (x: ReadOnlySpan<float>)
        (d: Span<float>) =
        let mutable i = 0
        if Vector512.IsHardwareAccelerated then
            let xs = MemoryMarshal.Cast<float, Vector512<float>> x
            let ds = MemoryMarshal.Cast<float, Vector512<float>> d
            for k in 0 .. xs.Length - 1 do
                ds[k] <- wide xs[k]
            i <- xs.Length * Vector512<float>.Count
        while i < x.Length do
            d[i] <- scalar x[i]
            i <- i + 1

    /// As `map512`, with Vector256s where AVX-512 is missing.
    let inline private map
        ([<InlineIfLambda>] wide: Vector512<float> -> Vector512<float>)
        ([<InlineIfLambda>] narrow: Vector256<float> -> Vector256<float>)
        ([<InlineIfLambda>] scalar: float -> float)
        (x: ReadOnlySpan<float>)
        (d: Span<float>) =
        if Vector512.IsHardwareAccelerated || not Vector256.IsHardwareAccelerated then map512 wide scalar x d
        else
            let xs = MemoryMarshal.Cast<float, Vector256<float>> x
            let ds = MemoryMarshal.Cast<float, Vector256<float>> d
            for k in 0 .. xs.Length - 1 do
                ds[k] <- narrow xs[k]
            for i in xs.Length * Vector256<float>.Count .. x.Length - 1 do
                d[i] <- scalar x[i]

    /// d = f(x) one element at a time: for the functions without a vector form in the runtime.
    let scalar (f: float -> float) (x: ReadOnlySpan<float>) (d: Span<float>) =
        for i in 0 .. x.Length - 1 do
            d[i] <- f x[i]

    let exp (x: ReadOnlySpan<float>) (d: Span<float>) = map Vector512.Exp Vector256.Exp Math.Exp x d
    let log (x: ReadOnlySpan<float>) (d: Span<float>) = map Vector512.Log Vector256.Log Math.Log x d
    let sin (x: ReadOnlySpan<float>) (d: Span<float>) = map Vector512.Sin Vector256.Sin Math.Sin x d
    let cos (x: ReadOnlySpan<float>) (d: Span<float>) = map Vector512.Cos Vector256.Cos Math.Cos x d

    /// d = x ^ y element by element (Math.Pow: the runtime has no vector pow).
    let pow (x: ReadOnlySpan<float>) (y: ReadOnlySpan<float>) (d: Span<float>) =
        for i in 0 .. x.Length - 1 do
            d[i] <- Math.Pow(x[i], y[i])

    /// d = x ^ y for a scalar exponent.
    let powScalarExponent (x: ReadOnlySpan<float>) (y: float) (d: Span<float>) =
        for i in 0 .. x.Length - 1 do
            d[i] <- Math.Pow(x[i], y)

    /// d = x ^ y for a scalar base.
    let powScalarBase (x: float) (y: ReadOnlySpan<float>) (d: Span<float>) =
        for i in 0 .. y.Length - 1 do
            d[i] <- Math.Pow(x, y[i])
