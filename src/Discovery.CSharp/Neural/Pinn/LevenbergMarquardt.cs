namespace Discovery.Neural.Pinn;

/// <summary>A small Levenberg-Marquardt least-squares minimiser with forward-difference Jacobians.</summary>
internal static class LevenbergMarquardt
{
    /// <summary>Minimises the sum of squares of <paramref name="residuals"/> (null: the point is not admissible) from
    /// <paramref name="start"/>; returns the best point and its cost.</summary>
    public static (double[] Theta, double Cost) Minimise(Func<double[], double[]?> residuals, double[] start, int maxIterations,
        CancellationToken cancellationToken = default)
    {
        var theta = (double[])start.Clone();
        var current = residuals(theta);
        if (current is null) return (theta, double.PositiveInfinity);
        var cost = current.Sum(v => v * v);
        var lambda = 1e-3;
        var n = theta.Length;
        for (var iteration = 0; iteration < maxIterations && cost > 0 && !cancellationToken.IsCancellationRequested; iteration++)
        {
            var jacobian = new double[n][];
            var usable = true;
            for (var j = 0; j < n && usable; j++)
            {
                var h = 1e-7 * (1 + Math.Abs(theta[j]));
                var shifted = (double[])theta.Clone();
                shifted[j] += h;
                var f = residuals(shifted);
                if (f is null) usable = false;
                else jacobian[j] = f.Select((v, k) => (v - current[k]) / h).ToArray();
            }
            if (!usable) break;
            var a = new double[n, n];
            var g = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var k = 0; k < current.Length; k++) g[i] -= jacobian[i][k] * current[k];
                for (var j = 0; j <= i; j++)
                {
                    var s = 0.0;
                    for (var k = 0; k < current.Length; k++) s += jacobian[i][k] * jacobian[j][k];
                    a[i, j] = a[j, i] = s;
                }
            }
            var improved = false;
            var converged = false;
            for (var attempt = 0; attempt < 12 && !improved; attempt++)
            {
                var m = (double[,])a.Clone();
                for (var i = 0; i < n; i++) m[i, i] += lambda * Math.Max(a[i, i], 1e-12);
                var step = PinnRecovery.SolveLinear(m, g);
                if (step is null)
                {
                    lambda *= 10;
                    continue;
                }
                var trial = theta.Zip(step, (t, d) => t + d).ToArray();
                var values = residuals(trial);
                var trialCost = values?.Sum(v => v * v) ?? double.PositiveInfinity;
                if (trialCost < cost)
                {
                    improved = true;
                    converged = (cost - trialCost) < 1e-12 * cost;
                    (theta, current, cost) = (trial, values!, trialCost);
                    lambda = Math.Max(lambda / 10, 1e-12);
                }
                else lambda *= 10;
            }
            if (!improved || converged) break;
        }
        return (theta, cost);
    }
}
