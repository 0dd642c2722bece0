using Discovery.Systems;

namespace Discovery.Tests.Systems;

public class LyapunovTests
{
    [Fact]
    public void Lorenz_has_a_largest_exponent_near_0_9()
    {
        var lorenz = SystemZoo.Get("lorenz");
        var estimate = Lyapunov.LargestExponent(lorenz, new LyapunovOptions(Transient: 5, Duration: 60, Tolerance: 1e-8));
        Assert.InRange(estimate, 0.75, 1.05);
        Assert.InRange(lorenz.LargestLyapunovExponent!.Value, 0.8, 1.0);
    }

    [Fact]
    public void A_limit_cycle_has_exponent_near_zero_and_a_damped_pendulum_decays_at_half_its_damping()
    {
        var hopf = Lyapunov.LargestExponent(SystemZoo.Get("hopf"), new LyapunovOptions(Transient: 20, Duration: 400, Tolerance: 1e-8));
        Assert.InRange(hopf, -0.01, 0.01);
        var pendulum = Lyapunov.LargestExponent(SystemZoo.Get("damped-pendulum"), new LyapunovOptions(Transient: 20, Duration: 300, Tolerance: 1e-8));
        Assert.InRange(pendulum, -0.135, -0.115);
    }
}
