using Discovery.Neural;
using TorchSharp;
using static TorchSharp.torch;

namespace Discovery.Tests.Neural;

/// <summary>
/// Proves on every CI run that TorchSharp's native library loads on this machine (through the build's patch where the
/// system libstdc++ is too old) and that tensors, modules and autograd give right numbers.
/// </summary>
[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public class TorchRuntimeTests
{
    [Fact]
    public void Native_library_loads_from_the_build_output_not_from_elsewhere()
    {
        TorchRuntime.EnsureLoaded();
        var loaded = TorchRuntime.LoadedNativeLibraryPath();
        Assert.NotNull(loaded);
        var outputDirectory = Path.GetFullPath(AppContext.BaseDirectory);
        Assert.StartsWith(outputDirectory, loaded, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_network_gradient_matches_central_differences()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        var network = nn.Sequential(
            ("hidden", nn.Linear(3, 8, dtype: float64)),
            ("tanh", nn.Tanh()),
            ("out", nn.Linear(8, 1, dtype: float64)));
        var input = randn(5, 3, dtype: float64);

        Tensor Loss() => network.forward(input).pow(2).mean();

        var loss = Loss();
        loss.backward();
        var weight = network.parameters().First();
        var analytic = weight.grad!.clone();

        const double h = 1e-6;
        using (no_grad())
        {
            for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
            {
                var original = weight[i, j].item<double>();
                weight[i, j] = tensor(original + h, float64);
                var plus = Loss().item<double>();
                weight[i, j] = tensor(original - h, float64);
                var minus = Loss().item<double>();
                weight[i, j] = tensor(original, float64);
                var numeric = (plus - minus) / (2 * h);
                Assert.Equal(numeric, analytic[i, j].item<double>(), 1e-7);
            }
        }
    }

    [Fact]
    public void Tensor_arithmetic_gives_exact_results()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var a = tensor(new double[] { 1, 2, 3, 4 }).reshape(2, 2);
        var b = a.matmul(a);
        Assert.Equal(new double[] { 7, 10, 15, 22 }, b.data<double>().ToArray());
    }
}
