using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Discovery.Benchmarks;

/// <summary>
/// A SIMD vector of doubles for hand-written loops, so that each loop is written once and runs at the widest width the
/// machine accelerates (the JIT specialises the generic loops per struct, so the wrapper costs nothing).
/// </summary>
public interface ISimd<TSelf> where TSelf : struct, ISimd<TSelf>
{
    static abstract int Count { get; }
    static abstract TSelf Load(double[] source, int index);
    static abstract TSelf Broadcast(double value);
    void Store(double[] destination, int index);
    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a);
    static abstract TSelf Exp(TSelf a);
    static abstract TSelf Log(TSelf a);
    static abstract TSelf Sin(TSelf a);
    static abstract TSelf Cos(TSelf a);
    static abstract TSelf Sqrt(TSelf a);
    static abstract TSelf Abs(TSelf a);
    static abstract TSelf Max(TSelf a, TSelf b);
    static abstract TSelf CopySign(TSelf value, TSelf sign);
}

/// <summary>512-bit vectors (8 doubles).</summary>
public readonly struct Simd512(Vector512<double> v) : ISimd<Simd512>
{
    private readonly Vector512<double> _v = v;
    public static int Count => Vector512<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Load(double[] source, int index) =>
        new(Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(source), (nuint)index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Broadcast(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(double[] destination, int index) =>
        _v.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(destination), (nuint)index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 operator +(Simd512 a, Simd512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 operator -(Simd512 a, Simd512 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 operator *(Simd512 a, Simd512 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 operator /(Simd512 a, Simd512 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 operator -(Simd512 a) => new(-a._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 Exp(Simd512 a) => new(Vector512.Exp(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 Log(Simd512 a) => new(Vector512.Log(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 Sin(Simd512 a) => new(Vector512.Sin(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 Cos(Simd512 a) => new(Vector512.Cos(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 Sqrt(Simd512 a) => new(Vector512.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 Abs(Simd512 a) => new(Vector512.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd512 Max(Simd512 a, Simd512 b) => new(Vector512.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 CopySign(Simd512 value, Simd512 sign) => new(Vector512.CopySign(value._v, sign._v));
}

/// <summary>256-bit vectors (4 doubles).</summary>
public readonly struct Simd256(Vector256<double> v) : ISimd<Simd256>
{
    private readonly Vector256<double> _v = v;
    public static int Count => Vector256<double>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Load(double[] source, int index) =>
        new(Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(source), (nuint)index));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Broadcast(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(double[] destination, int index) =>
        _v.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(destination), (nuint)index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 operator +(Simd256 a, Simd256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 operator -(Simd256 a, Simd256 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 operator *(Simd256 a, Simd256 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 operator /(Simd256 a, Simd256 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 operator -(Simd256 a) => new(-a._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 Exp(Simd256 a) => new(Vector256.Exp(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 Log(Simd256 a) => new(Vector256.Log(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 Sin(Simd256 a) => new(Vector256.Sin(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 Cos(Simd256 a) => new(Vector256.Cos(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 Sqrt(Simd256 a) => new(Vector256.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 Abs(Simd256 a) => new(Vector256.Abs(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Simd256 Max(Simd256 a, Simd256 b) => new(Vector256.Max(a._v, b._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 CopySign(Simd256 value, Simd256 sign) => new(Vector256.CopySign(value._v, sign._v));
}
