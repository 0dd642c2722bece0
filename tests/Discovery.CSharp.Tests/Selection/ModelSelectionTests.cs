using Discovery.Selection;

namespace Discovery.Tests.Selection;

/// <summary>The one model-selection rule of the learners: misfit against constants.</summary>
public class ModelSelectionTests
{
    [Fact]
    public void Equal_misfit_prefers_fewer_constants()
    {
        Assert.Equal(1, ModelSelection.Choose([(0.5, 4), (0.5, 2)], 40));
    }

    [Fact]
    public void An_extra_constant_must_buy_more_than_noise_fitting()
    {
        // With 40 points one more constant is worth a factor exp(ln(40)/40) ≈ 1.096 on the sum of squares.
        Assert.Equal(0, ModelSelection.Choose([(1.0, 1), (0.95, 2)], 40));
        Assert.Equal(1, ModelSelection.Choose([(1.0, 1), (0.85, 2)], 40));
    }

    [Fact]
    public void Misfits_below_the_accuracy_floor_count_as_equal()
    {
        Assert.Equal(0, ModelSelection.Choose([(1e-20, 1), (1e-24, 3)], 40));
        Assert.Equal(ModelSelection.Criterion(1e-30, 10, 2), ModelSelection.Criterion(0, 10, 2));
    }

    [Fact]
    public void A_misfit_that_is_not_a_number_never_wins()
    {
        Assert.Equal(double.PositiveInfinity, ModelSelection.Criterion(double.NaN, 10, 1));
        Assert.Equal(1, ModelSelection.Choose([(double.NaN, 0), (5.0, 3)], 10));
        Assert.Throws<ArgumentException>(() => ModelSelection.Choose([], 10));
    }
}
