using Discovery.Integration;

namespace Discovery.Systems;

/// <summary>Settings of the largest-Lyapunov-exponent estimate.</summary>
/// <param name="Transient">Time integrated first and discarded, so the orbit settles on the attractor.</param>
/// <param name="Duration">Time over which the separation growth is averaged.</param>
/// <param name="RenormalisationInterval">Time between rescalings of the separation; null uses ten sampling steps.</param>
/// <param name="Separation">Size of the separation after each rescaling.</param>
/// <param name="Seed">Seed of the direction of the first separation.</param>
/// <param name="Tolerance">Relative and absolute tolerance of the integration of the two orbits.</param>
public sealed record LyapunovOptions(
    double Transient = 50, double Duration = 200, double? RenormalisationInterval = null, double Separation = 1e-8, int Seed = 0,
    double Tolerance = 1e-10);

/// <summary>
/// Estimates the largest Lyapunov exponent of a system by Benettin's method: a reference orbit and a nearby one are
/// integrated together (Dormand-Prince 5(4), tight tolerances); every renormalisation interval the logarithm of the
/// separation's growth is accumulated and the separation is scaled back. The mean growth rate is the estimate
/// (1/time; positive for chaos, about 0 on a limit cycle, negative at a stable equilibrium).
/// </summary>
public static class Lyapunov
{
    /// <summary>The estimate for <paramref name="system"/> from its default initial state.</summary>
    public static double LargestExponent(DynamicalSystem system, LyapunovOptions? options = null)
    {
        options ??= new LyapunovOptions();
        if (!(options.Duration > 0) || !(options.Transient >= 0) || !(options.Separation > 0))
            throw new ArgumentException("the duration and separation must be positive and the transient non-negative");
        var interval = options.RenormalisationInterval ?? 10 * system.TimeStep;
        if (!(interval > 0)) throw new ArgumentException("the renormalisation interval must be positive");

        var n = system.Dimension;
        var f = system.ToOdeProblem().RightHandSide;
        var pair = new OdeProblem(2 * n, (t, x, dx) =>
        {
            f(t, x[..n], dx[..n]);
            f(t, x[n..], dx[n..]);
        }, null, system.IsAutonomous);
        var solver = new DormandPrince54(new AdaptiveStepOptions(options.Tolerance, options.Tolerance));

        var state = system.InitialState;
        var t = 0.0;
        if (options.Transient > 0)
        {
            state = new DormandPrince54(new AdaptiveStepOptions(1e-8, 1e-10))
                .Solve(system.ToOdeProblem(), state, [0.0, options.Transient]).FinalState;
            t = options.Transient;
        }

        var random = new Random(options.Seed);
        var direction = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var norm = Math.Sqrt(direction.Sum(d => d * d));
        var combined = new double[2 * n];
        for (var i = 0; i < n; i++)
        {
            combined[i] = state[i];
            combined[n + i] = state[i] + options.Separation * direction[i] / norm;
        }

        var steps = Math.Max(1, (int)Math.Round(options.Duration / interval));
        var sum = 0.0;
        for (var s = 0; s < steps; s++)
        {
            combined = solver.Solve(pair, combined, [t, t + interval]).FinalState;
            t += interval;
            var distance = 0.0;
            for (var i = 0; i < n; i++) distance += (combined[n + i] - combined[i]) * (combined[n + i] - combined[i]);
            distance = Math.Sqrt(distance);
            if (!(distance > 0) || !double.IsFinite(distance))
                throw new OdeIntegrationException($"the separation became {distance} at t = {t:G6}; try another separation or interval", t);
            sum += Math.Log(distance / options.Separation);
            var scale = options.Separation / distance;
            for (var i = 0; i < n; i++) combined[n + i] = combined[i] + (combined[n + i] - combined[i]) * scale;
        }
        return sum / (steps * interval);
    }
}
