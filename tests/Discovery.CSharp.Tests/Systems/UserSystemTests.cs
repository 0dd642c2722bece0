using Discovery.Systems;

namespace Discovery.Tests.Systems;

public class UserSystemTests
{
    [Fact]
    public void A_user_system_is_defined_from_text_and_parameters()
    {
        var system = DynamicalSystem.FromText("dx/dt = -k*x + sin(t)\ny' = x - y  # a comment", [new("k", 2.0)], [1.0, 0.0]);
        Assert.Equal(["x", "y"], system.StateNames);
        Assert.False(system.IsAutonomous);
        var derivative = new double[2];
        system.ToOdeProblem().RightHandSide(Math.PI / 2, [3.0, 1.0], derivative);
        Assert.Equal(-6 + 1, derivative[0], 1e-12);
        Assert.Equal(2, derivative[1], 1e-12);
    }

    [Fact]
    public void Exponential_decay_defined_by_text_matches_its_solution()
    {
        var decay = DynamicalSystem.FromText("x' = -lambda*x", [new("lambda", 0.5)], [4.0]);
        var data = decay.Simulate(new SimulationOptions(TimeEnd: 10, TimeStep: 0.5));
        var trajectory = data.Trajectories[0];
        for (var k = 0; k < trajectory.Length; k++)
            Assert.Equal(4 * Math.Exp(-0.5 * trajectory.Times[k]), trajectory.States[k, 0], 1e-9);
    }

    [Fact]
    public void A_parse_error_carries_line_and_column()
    {
        var error = Assert.Throws<SystemDefinitionException>(() => DynamicalSystem.FromText("x' = y\ny' = -x +* 2"));
        Assert.Equal(2, error.Line);
        Assert.NotNull(error.Column);
    }

    [Theory]
    [InlineData("x' = y", "neither a state")]
    [InlineData("x' = 1\nx' = 2", "defined twice")]
    [InlineData("y = x\nx' = 1", "not a differential equation")]
    [InlineData("x' = h1(x)", "not a known function")]
    [InlineData("t' = 1", "time")]
    public void Meaningless_systems_are_refused_with_a_reason(string text, string reason)
    {
        var error = Assert.Throws<SystemDefinitionException>(() => DynamicalSystem.FromText(text));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Unused_parameters_and_wrong_initial_states_are_refused()
    {
        Assert.Contains("does not occur", Assert.Throws<SystemDefinitionException>(() =>
            DynamicalSystem.FromText("x' = -a*x", [new("a", 1.0), new("b", 2.0)])).Message);
        Assert.Contains("initial state", Assert.Throws<SystemDefinitionException>(() =>
            DynamicalSystem.FromText("x' = -x", null, [1.0, 2.0])).Message);
    }
}
