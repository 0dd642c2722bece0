using Discovery.Pipeline;

namespace Discovery.Tests.Pipeline;

/// <summary>The trajectory pipeline keeps what it found when stopped (Ctrl+C).</summary>
public class DynamicsDiscoveryTests
{
    [Fact]
    public void A_cancelled_run_still_returns_the_sindy_equations_marked_as_interrupted()
    {
        var data = DefaultProblem.Lorenz(seed: 3);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var result = DynamicsDiscovery.Run(data, new DiscoverOptions(), input: null, cancellationToken: cancelled.Token);
        Assert.True(result.Interrupted);
        Assert.Equal(["x'", "y'", "z'"], result.Equations.Select(e => e.Target));
        Assert.All(result.Equations, e => Assert.False(string.IsNullOrEmpty(e.Expression)));
    }
}
