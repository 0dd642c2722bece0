using Discovery.Neural;
using Discovery.Neural.Pinn;
using Discovery.Neural.Prose;
using TorchSharp;
using static TorchSharp.torch;

namespace Discovery.Tests.Neural;

/// <summary>Starting weights come from the seed alone, never from TorchSharp's global generator.</summary>
[Collection(TorchCollection.Name)]
public class SeededInitialisationTests
{
    private static double[][] Weights(nn.Module module) =>
        module.parameters().Select(p => p.detach().to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();

    private static Mlp Network(long seed)
    {
        using var generator = SeededInitialisation.NewGenerator(seed);
        return new Mlp("test", 2, 8, 2, 1, generator);
    }

    [Fact]
    public void The_same_seed_gives_the_same_network_whatever_the_global_generator_did()
    {
        TorchRuntime.EnsureLoaded();
        random.manual_seed(11);
        using var first = Network(4);
        random.manual_seed(12);
        using (rand(100, dtype: ScalarType.Float64)) { }
        using var second = Network(4);
        using var other = Network(5);
        Assert.Equal(Weights(first), Weights(second));
        Assert.NotEqual(Weights(first)[0], Weights(other)[0]);
    }

    [Fact]
    public void Linear_weights_lie_within_one_over_the_square_root_of_the_fan_in()
    {
        TorchRuntime.EnsureLoaded();
        using var network = Network(1);
        var first = Weights(network)[0];
        Assert.Equal(16, first.Length);
        Assert.All(first, w => Assert.InRange(Math.Abs(w), 0, 1 / Math.Sqrt(2)));
        Assert.True(first.Max() - first.Min() > 0.5 / Math.Sqrt(2), "the draws cover the range");
    }

    [Fact]
    public void A_prose_model_with_the_same_seed_is_the_same_and_another_seed_differs()
    {
        TorchRuntime.EnsureLoaded();
        random.manual_seed(1);
        using var first = new ProseModel(ProseModelOptions.Tiny, seed: 7);
        random.manual_seed(2);
        using var second = new ProseModel(ProseModelOptions.Tiny, seed: 7);
        using var other = new ProseModel(ProseModelOptions.Tiny, seed: 8);
        Assert.Equal(Weights(first), Weights(second));
        Assert.NotEqual(Weights(first), Weights(other));
        Assert.All(first.parameters(), p => Assert.Equal(ProseModel.Precision, p.dtype));
    }

    [Fact]
    public void A_layer_without_a_seeded_initialisation_is_refused()
    {
        TorchRuntime.EnsureLoaded();
        using var convolution = nn.Conv1d(1, 1, 3, dtype: ScalarType.Float64);
        using var generator = SeededInitialisation.NewGenerator(1);
        Assert.Throws<NotSupportedException>(() => SeededInitialisation.Reset(convolution, generator));
    }
}
