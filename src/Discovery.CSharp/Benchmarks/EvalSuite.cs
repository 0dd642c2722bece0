using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.Benchmarks;

/// <summary>One expression of the evaluation benchmark with its hand-written vectorised loop.</summary>
/// <param name="Name">The expression as text (for the table).</param>
/// <param name="Expression">The expression, in canonical form.</param>
/// <param name="HandLoop">A fused SIMD loop computing the same values: (columns x, y, z; output of rows values).</param>
public sealed record EvalCase(string Name, Expr Expression, Action<double[][], double[]> HandLoop);

/// <summary>
/// The fixed suite of the evaluation benchmark: mixed arithmetic and transcendental expressions over x, y, z (typical
/// symbolic-regression shapes, the Lorenz right-hand side, Feynman-style formulas), each with the loop a careful engineer
/// would write by hand: one pass, all operations in registers, System.Runtime.Intrinsics vectors at the widest
/// accelerated width, TensorPrimitives only where the vector API has no such function (atan).
/// </summary>
public static class EvalSuite
{
    /// <summary>The variables of every case, in column order.</summary>
    public static readonly string[] Variables = ["x", "y", "z"];

    /// <summary>Columns of the given length with values in [0.5, 2.5), where every case is finite.</summary>
    public static double[][] Data(int rows, int seed = 1)
    {
        var random = new Random(seed);
        return Variables.Select(_ => Enumerable.Range(0, rows).Select(_ => 0.5 + 2.0 * random.NextDouble()).ToArray()).ToArray();
    }

    private static Expr Var(string name) => ExprModule.variable(name);
    private static Expr F(string name, params Expr[] args) => ExprModule.apply(name, ListModule.OfArray(args));

    /// <summary>The cases, in table order.</summary>
    public static IReadOnlyList<EvalCase> Cases { get; } = Build();

    private static IReadOnlyList<EvalCase> Build()
    {
        var x = Var("x");
        var y = Var("y");
        var z = Var("z");
        var wide = Vector512.IsHardwareAccelerated;
        EvalCase Case(string name, Expr e, Action<double[][], double[]> wideLoop, Action<double[][], double[]> narrowLoop) =>
            new(name, e, wide ? wideLoop : narrowLoop);
        return
        [
            Case("x*y + z", x * y + z, Hand.MulAdd<Simd512>, Hand.MulAdd<Simd256>),
            Case("2.5*x - 1.2*y + 0.7", 2.5 * x - 1.2 * y + 0.7, Hand.Linear<Simd512>, Hand.Linear<Simd256>),
            Case("x^2 + y^2 + z^2", Expr.Pow(x, 2) + Expr.Pow(y, 2) + Expr.Pow(z, 2), Hand.SumOfSquares<Simd512>, Hand.SumOfSquares<Simd256>),
            Case("(x + y)/(z + 1)", (x + y) / (z + 1), Hand.Ratio<Simd512>, Hand.Ratio<Simd256>),
            Case("x^3 - 2*x*y + y^2", Expr.Pow(x, 3) - 2 * x * y + Expr.Pow(y, 2), Hand.Cubic<Simd512>, Hand.Cubic<Simd256>),
            Case("1/(1 + x^2)", 1 / (1 + Expr.Pow(x, 2)), Hand.Lorentzian<Simd512>, Hand.Lorentzian<Simd256>),
            Case("sqrt(x^2 + y^2)", ExprModule.sqrt(Expr.Pow(x, 2) + Expr.Pow(y, 2)), Hand.Hypot<Simd512>, Hand.Hypot<Simd256>),
            Case("exp(-x^2)", F("exp", -Expr.Pow(x, 2)), Hand.Gauss<Simd512>, Hand.Gauss<Simd256>),
            Case("exp(-x)*sin(y)", F("exp", -x) * F("sin", y), Hand.DampedSine<Simd512>, Hand.DampedSine<Simd256>),
            Case("sin(x) + cos(y)", F("sin", x) + F("cos", y), Hand.SinPlusCos<Simd512>, Hand.SinPlusCos<Simd256>),
            Case("z*sin(x*y)", z * F("sin", x * y), Hand.ZSinXy<Simd512>, Hand.ZSinXy<Simd256>),
            Case("log(x) + log(y)", F("log", x) + F("log", y), Hand.LogSum<Simd512>, Hand.LogSum<Simd256>),
            Case("log(1 + x^2)", F("log", 1 + Expr.Pow(x, 2)), Hand.LogOnePlusSquare<Simd512>, Hand.LogOnePlusSquare<Simd256>),
            Case("x*exp(-y/z)", x * F("exp", -y / z), Hand.Arrhenius<Simd512>, Hand.Arrhenius<Simd256>),
            Case("tanh(2*x - y)", F("tanh", 2 * x - y), Hand.Tanh<Simd512>, Hand.Tanh<Simd256>),
            Case("exp(sin(x)) + x*cos(y)", F("exp", F("sin", x)) + x * F("cos", y), Hand.ExpSin<Simd512>, Hand.ExpSin<Simd256>),
            Case("sqrt(x)*log(y + 1)", ExprModule.sqrt(x) * F("log", y + 1), Hand.SqrtLog<Simd512>, Hand.SqrtLog<Simd256>),
            Case("x/(1 + exp(-y))", x / (1 + F("exp", -y)), Hand.Logistic<Simd512>, Hand.Logistic<Simd256>),
            Case("abs(x - y) + max(x, z)", F("abs", x - y) + F("max", x, z), Hand.AbsMax<Simd512>, Hand.AbsMax<Simd256>),
            Case("10*(y - x)", 10 * (y - x), Hand.LorenzX<Simd512>, Hand.LorenzX<Simd256>),
            Case("x*(28 - z) - y", x * (28 - z) - y, Hand.LorenzY<Simd512>, Hand.LorenzY<Simd256>),
            Case("x*y - 8/3*z", x * y - ExprModule.fraction(8, 3) * z, Hand.LorenzZ<Simd512>, Hand.LorenzZ<Simd256>),
            Case("x*y/z^2", x * y / Expr.Pow(z, 2), Hand.Coulomb<Simd512>, Hand.Coulomb<Simd256>),
            Case("exp(-(x - y)^2/(2*z^2))/(sqrt(2*pi)*z)",
                F("exp", -Expr.Pow(x - y, 2) / (2 * Expr.Pow(z, 2))) / (ExprModule.sqrt(2 * ExprModule.pi) * z),
                Hand.NormalPdf<Simd512>, Hand.NormalPdf<Simd256>),
            Case("atan(y/x)", F("atan", y / x), Hand.Angle<Simd512>, Hand.Angle<Simd256>),
        ];
    }

    /// <summary>
    /// The hand-written loops. Each walks the rows one vector at a time; the last vector overlaps the one before it
    /// instead of a scalar tail (every row is computed from its own inputs, so recomputing a few rows is harmless).
    /// Rows must be at least one vector long. Each is compiled fully optimised from its first call, so that the
    /// baseline never runs as unoptimised tier-0 code on a busy machine, where tiering up can be delayed.
    /// </summary>
    private static class Hand
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void MulAdd<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Load(x, j) * V.Load(y, j) + V.Load(z, j)).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Linear<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            V a = V.Broadcast(2.5), b = V.Broadcast(1.2), k = V.Broadcast(0.7);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (a * V.Load(x, j) - b * V.Load(y, j) + k).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void SumOfSquares<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                V vx = V.Load(x, j), vy = V.Load(y, j), vz = V.Load(z, j);
                (vx * vx + vy * vy + vz * vz).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Ratio<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            var one = V.Broadcast(1.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                ((V.Load(x, j) + V.Load(y, j)) / (V.Load(z, j) + one)).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Cubic<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            var two = V.Broadcast(2.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                V vx = V.Load(x, j), vy = V.Load(y, j);
                (vx * vx * vx - two * vx * vy + vy * vy).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Lorentzian<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            var x = c[0];
            var one = V.Broadcast(1.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                var vx = V.Load(x, j);
                (one / (one + vx * vx)).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Hypot<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                V vx = V.Load(x, j), vy = V.Load(y, j);
                V.Sqrt(vx * vx + vy * vy).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Gauss<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            var x = c[0];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                var vx = V.Load(x, j);
                V.Exp(-(vx * vx)).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void DampedSine<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Exp(-V.Load(x, j)) * V.Sin(V.Load(y, j))).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void SinPlusCos<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Sin(V.Load(x, j)) + V.Cos(V.Load(y, j))).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void ZSinXy<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Load(z, j) * V.Sin(V.Load(x, j) * V.Load(y, j))).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void LogSum<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Log(V.Load(x, j)) + V.Log(V.Load(y, j))).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void LogOnePlusSquare<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            var x = c[0];
            var one = V.Broadcast(1.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                var vx = V.Load(x, j);
                V.Log(one + vx * vx).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Arrhenius<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Load(x, j) * V.Exp(-V.Load(y, j) / V.Load(z, j))).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Tanh<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            V one = V.Broadcast(1.0), two = V.Broadcast(2.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                var t = two * V.Load(x, j) - V.Load(y, j);
                var a = V.Abs(t);
                // tanh t = sign(t) (1 - 2 / (exp(2|t|) + 1)), which does not overflow.
                V.CopySign(one - two / (V.Exp(a + a) + one), t).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void ExpSin<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                var vx = V.Load(x, j);
                (V.Exp(V.Sin(vx)) + vx * V.Cos(V.Load(y, j))).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void SqrtLog<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            var one = V.Broadcast(1.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Sqrt(V.Load(x, j)) * V.Log(V.Load(y, j) + one)).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Logistic<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            var one = V.Broadcast(1.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Load(x, j) / (one + V.Exp(-V.Load(y, j)))).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void AbsMax<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                var vx = V.Load(x, j);
                (V.Abs(vx - V.Load(y, j)) + V.Max(vx, V.Load(z, j))).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void LorenzX<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            var sigma = V.Broadcast(10.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (sigma * (V.Load(y, j) - V.Load(x, j))).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void LorenzY<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            var rho = V.Broadcast(28.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Load(x, j) * (rho - V.Load(z, j)) - V.Load(y, j)).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void LorenzZ<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            var beta = V.Broadcast(8.0 / 3.0);
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Load(x, j) * V.Load(y, j) - beta * V.Load(z, j)).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Coulomb<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                var vz = V.Load(z, j);
                (V.Load(x, j) * V.Load(y, j) / (vz * vz)).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void NormalPdf<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1], z = c[2];
            V half = V.Broadcast(0.5), scale = V.Broadcast(1.0 / Math.Sqrt(2.0 * Math.PI));
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                V d = V.Load(x, j) - V.Load(y, j), vz = V.Load(z, j);
                (scale * V.Exp(-half * d * d / (vz * vz)) / vz).Store(o, j);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]

        public static void Angle<V>(double[][] c, double[] o) where V : struct, ISimd<V>
        {
            double[] x = c[0], y = c[1];
            for (int i = 0, n = o.Length; i < n; i += V.Count)
            {
                var j = Math.Min(i, n - V.Count);
                (V.Load(y, j) / V.Load(x, j)).Store(o, j);
            }
            // The vector API has no atan; System.Numerics.Tensors applies it in place.
            TensorPrimitives.Atan(o, o);
        }
    }
}
