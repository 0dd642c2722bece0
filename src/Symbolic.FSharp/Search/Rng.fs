namespace Symbolic.Search

open System

/// A small, fast, seedable random number generator (xoshiro256**) whose whole state is four integers, so that a search
/// can write it to a checkpoint and resume with exactly the same stream. Each island owns one; nothing is shared.
[<Sealed>]
type Rng private (s0: uint64, s1: uint64, s2: uint64, s3: uint64) =
    let mutable a = s0
    let mutable b = s1
    let mutable c = s2
    let mutable d = s3

    static let splitMix (state: byref<uint64>) =
        state <- state + 0x9E3779B97F4A7C15UL
        let mutable z = state
        z <- (z ^^^ (z >>> 30)) * 0xBF58476D1CE4E5B9UL
        z <- (z ^^^ (z >>> 27)) * 0x94D049BB133111EBUL
        z ^^^ (z >>> 31)

    /// A generator seeded from one integer (two generators with the same seed give the same stream).
    static member Create(seed: int64) =
        let mutable s = uint64 seed
        let a = splitMix &s
        let b = splitMix &s
        let c = splitMix &s
        let d = splitMix &s
        Rng(a, b, c, d)

    /// A generator restored from `State`.
    static member FromState(state: uint64[]) =
        if state.Length <> 4 then invalidArg "state" "an Rng state has four words"
        Rng(state[0], state[1], state[2], state[3])

    /// The full state, for checkpoints.
    member _.State = [| a; b; c; d |]

    /// The next 64 random bits.
    member _.NextUInt64() =
        let result = (Numerics.BitOperations.RotateLeft(b * 5UL, 7)) * 9UL
        let t = b <<< 17
        c <- c ^^^ a
        d <- d ^^^ b
        b <- b ^^^ c
        a <- a ^^^ d
        c <- c ^^^ t
        d <- Numerics.BitOperations.RotateLeft(d, 45)
        result

    /// Uniform in [0, 1).
    member this.NextFloat() = float (this.NextUInt64() >>> 11) * (1.0 / 9007199254740992.0)

    /// Uniform integer in [0, n).
    member this.NextInt(n: int) =
        if n <= 0 then invalidArg "n" "n must be positive"
        int ((this.NextUInt64() >>> 33) % uint64 n)

    /// Uniform in [low, high).
    member this.Uniform(low: float, high: float) = low + (high - low) * this.NextFloat()

    /// Standard normal (Box-Muller).
    member this.NextGaussian() =
        let u1 = 1.0 - this.NextFloat()
        let u2 = this.NextFloat()
        Math.Sqrt(-2.0 * Math.Log u1) * Math.Cos(2.0 * Math.PI * u2)

    /// True with probability p.
    member this.Chance(p: float) = this.NextFloat() < p

    /// A new independent generator derived from this one (for islands, threads).
    member this.Split() = Rng.Create(int64 (this.NextUInt64()))
