namespace Symbolic

open System
open System.Numerics

/// An exact rational number p/q, always reduced, with q > 0. Used for the numbers a user types exactly (`1/3`, `2`)
/// so that constant folding in the simplifier is exact.
[<Sealed; AllowNullLiteral(false)>]
type Rational private (numerator: BigInteger, denominator: BigInteger) =
    /// The numerator (carries the sign).
    member _.Numerator = numerator
    /// The denominator, always positive.
    member _.Denominator = denominator
    member _.IsInteger = denominator.IsOne
    member _.IsZero = numerator.IsZero
    member _.Sign = numerator.Sign

    /// p/q reduced; throws DivideByZeroException when q = 0.
    static member Create(p: BigInteger, q: BigInteger) =
        if q.IsZero then raise (DivideByZeroException "rational with zero denominator")
        let g = BigInteger.GreatestCommonDivisor(p, q)
        let g = if q.Sign < 0 then -g else g
        Rational(p / g, q / g)

    static member OfInt(n: int) = Rational(BigInteger n, BigInteger.One)
    static member OfBigInt(n: BigInteger) = Rational(n, BigInteger.One)
    static member Zero = Rational(BigInteger.Zero, BigInteger.One)
    static member One = Rational(BigInteger.One, BigInteger.One)

    /// The nearest double.
    member _.ToFloat() =
        if denominator.IsOne then float numerator
        else
            // Scale so that large numerators and denominators keep full precision.
            let shift = max 0 (int (BigInteger.Log(BigInteger.Abs numerator + BigInteger.One, 2.0) - 1000.0))
            if shift > 0 then float (numerator >>> shift) / float (denominator >>> shift)
            else float numerator / float denominator

    static member (+)(a: Rational, b: Rational) =
        Rational.Create(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator)
    static member (-)(a: Rational, b: Rational) =
        Rational.Create(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator)
    static member (*)(a: Rational, b: Rational) =
        Rational.Create(a.Numerator * b.Numerator, a.Denominator * b.Denominator)
    static member (/)(a: Rational, b: Rational) =
        Rational.Create(a.Numerator * b.Denominator, a.Denominator * b.Numerator)
    static member (~-)(a: Rational) = Rational(-a.Numerator, a.Denominator)

    /// a^n for an integer n (negative n inverts; 0^-n throws DivideByZeroException).
    static member Pow(a: Rational, n: int) =
        if n >= 0 then Rational(BigInteger.Pow(a.Numerator, n), BigInteger.Pow(a.Denominator, n))
        else Rational.Create(BigInteger.Pow(a.Denominator, -n), BigInteger.Pow(a.Numerator, -n))

    member this.CompareTo(other: Rational) =
        BigInteger.Compare(this.Numerator * other.Denominator, other.Numerator * this.Denominator)

    override this.Equals(o) =
        match o with
        | :? Rational as r -> r.Numerator = this.Numerator && r.Denominator = this.Denominator
        | _ -> false
    override _.GetHashCode() = HashCode.Combine(numerator, denominator)
    override _.ToString() =
        if denominator.IsOne then numerator.ToString() else sprintf "%O/%O" numerator denominator
    interface IComparable with
        member this.CompareTo(o) =
            match o with
            | :? Rational as r -> this.CompareTo r
            | _ -> invalidArg "o" "not a Rational"
    interface IComparable<Rational> with
        member this.CompareTo(r) = this.CompareTo r
    interface IEquatable<Rational> with
        member this.Equals(r) = r.Numerator = this.Numerator && r.Denominator = this.Denominator

/// Helpers on rationals.
[<RequireQualifiedAccess>]
module Rational =
    /// The exact rational value of a finite double (every double is a dyadic rational); None for NaN and infinities.
    let tryOfFloat (x: float) =
        if Double.IsNaN x || Double.IsInfinity x then None
        elif x = Math.Floor x && abs x < 1e18 then Some(Rational.OfBigInt(BigInteger x))
        else
            let bits = BitConverter.DoubleToInt64Bits x
            let negative = bits < 0L
            let exponent = int ((bits >>> 52) &&& 0x7FFL)
            let mantissa = bits &&& 0xFFFFFFFFFFFFFL
            let m, e = if exponent = 0 then mantissa, -1074 else (mantissa ||| 0x10000000000000L), exponent - 1075
            let m = BigInteger m
            let m = if negative then -m else m
            Some(if e >= 0 then Rational.OfBigInt(m * BigInteger.Pow(BigInteger 2, e))
                 else Rational.Create(m, BigInteger.Pow(BigInteger 2, -e)))

    /// Some n when the rational is an integer that fits in an int.
    let (|SmallInteger|_|) (r: Rational) =
        if r.IsInteger && BigInteger.Abs r.Numerator <= BigInteger 1_000_000 then Some(int r.Numerator) else None
