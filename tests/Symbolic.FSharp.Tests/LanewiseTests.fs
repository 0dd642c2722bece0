module Symbolic.Tests.LanewiseTests

open System
open Xunit
open Symbolic

/// Inputs that take every branch of the vector code: small and large, negative, huge (argument reduction), zero.
let inputs = Array.init 301 (fun i -> if i % 37 = 5 then 1e6 + float i elif i % 41 = 7 then 0.0 else -7.0 + float i * 0.0471)

let sameBits (a: float) (b: float) = BitConverter.DoubleToInt64Bits a = BitConverter.DoubleToInt64Bits b

/// Runs a function on `count` elements of `source` from `sourceAt` into `destination` from `destinationAt`.
type Applied = float[] -> int -> float[] -> int -> int -> unit

let functions : (string * Applied) list =
    [ "exp", (fun s si d di n -> Lanewise.exp (ReadOnlySpan(s, si, n)) (Span(d, di, n)))
      "log", (fun s si d di n -> Lanewise.log (ReadOnlySpan(s, si, n)) (Span(d, di, n)))
      "sin", (fun s si d di n -> Lanewise.sin (ReadOnlySpan(s, si, n)) (Span(d, di, n)))
      "cos", (fun s si d di n -> Lanewise.cos (ReadOnlySpan(s, si, n)) (Span(d, di, n)))
      "pow 1.7", (fun s si d di n -> Lanewise.powScalarExponent (ReadOnlySpan(s, si, n)) 1.7 (Span(d, di, n))) ]

[<Fact>]
let ``each element gets the same bits wherever the source and destination lie in memory`` () =
    // System.Numerics.Tensors' sin, cos and exp failed this for about half the offsets: the search then depended on
    // where the garbage collector had put its arrays.
    let n = inputs.Length
    for name, f in functions do
        let reference = Array.zeroCreate<float> n
        f inputs 0 reference 0 n
        for sourceOffset in 0 .. 8 do
            for destinationOffset in 0 .. 8 do
                let source = Array.zeroCreate<float> (n + 8)
                Array.blit inputs 0 source sourceOffset n
                let destination = Array.zeroCreate<float> (n + 8)
                f source sourceOffset destination destinationOffset n
                for i in 0 .. n - 1 do
                    if not (sameBits reference[i] destination[destinationOffset + i]) then
                        failwithf "%s of %g at offsets %d/%d: %.17g, at offset 0: %.17g" name inputs[i] sourceOffset
                            destinationOffset destination[destinationOffset + i] reference[i]

[<Fact>]
let ``results agree with the scalar functions to a few ulps and work in place`` () =
    let scalar = dict [ "exp", Math.Exp; "log", Math.Log; "sin", Math.Sin; "cos", Math.Cos; "pow 1.7", (fun x -> Math.Pow(x, 1.7)) ]
    for name, f in functions do
        let buffer = Array.copy inputs
        f buffer 0 buffer 0 buffer.Length
        for i in 0 .. inputs.Length - 1 do
            let expected = scalar[name] inputs[i]
            let found = buffer[i]
            if Double.IsNaN expected then Assert.True(Double.IsNaN found, sprintf "%s(%g) = %g, not NaN" name inputs[i] found)
            else
                let tolerance = 4.0 * Math.BitIncrement(abs expected) - 4.0 * abs expected + 1e-300
                Assert.True(found = expected || abs (found - expected) <= tolerance, sprintf "%s(%g) = %.17g, Math gives %.17g" name inputs[i] found expected)
