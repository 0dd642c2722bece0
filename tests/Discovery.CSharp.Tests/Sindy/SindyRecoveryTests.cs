using Discovery.Data;
using Discovery.Differentiation;
using Discovery.SparseRegression;
using Xunit.Abstractions;

namespace Discovery.Tests.Sindy;

public sealed class SindyRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public void Stlsq_recovers_pysindys_lorenz_example_to_a_tenth_of_a_percent_without_spurious_terms()
    {
        var model = new SparseRegression.Sindy(new Stlsq(0.5)).Fit(SindyTestData.Lorenz);
        output.WriteLine(model.ToString());
        var (error, spurious, missing) = SindyTestData.Compare(model, SindyTestData.LorenzTruth);
        output.WriteLine($"max relative error {error:E3}");
        Assert.Empty(spurious);
        Assert.Empty(missing);
        Assert.True(error < 1e-3, $"largest relative coefficient error {error:E3}");
    }

    [Fact]
    public void With_one_percent_noise_savitzky_golay_keeps_the_right_terms_within_two_percent()
    {
        var noisy = Noise.AddGaussian(SindyTestData.Lorenz, 0.01, seed: 1);
        var model = new SparseRegression.Sindy(new Stlsq(0.5), differentiation: new SavitzkyGolay()).Fit(noisy);
        output.WriteLine(model.ToString());
        var (error, spurious, missing) = SindyTestData.Compare(model, SindyTestData.LorenzTruth);
        output.WriteLine($"max relative error {error:E3}");
        Assert.Empty(spurious);
        Assert.Empty(missing);
        Assert.True(error < 0.02, $"largest relative coefficient error {error:E3}");
    }
}
