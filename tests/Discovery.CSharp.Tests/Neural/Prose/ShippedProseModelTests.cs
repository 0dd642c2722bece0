using Discovery.Neural.Prose;
using Symbolic;

namespace Discovery.Tests.Neural.Prose;

/// <summary>The small model shipped in models/prose-small, found from the test's folder like from a checkout.</summary>
[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public class ShippedProseModelTests
{
    private static ProsePredictor Shipped()
    {
        var folder = ProseModelFile.FindShipped();
        Assert.NotNull(folder);
        return ProsePredictor.Load(folder);
    }

    [Fact]
    public void The_shipped_model_decodes_a_valid_lorenz_family_expression()
    {
        var predictor = Shipped();
        var sample = new ProseDataGenerator().Sample("lorenz", 3)!;
        var prediction = predictor.Predict(sample.Times.Take(64).ToArray(), ProseEvaluation.Slice(sample.States, 0, 64), beam: 1);
        Assert.True(prediction.Decoding.IsValid, prediction.Decoding.Error);
        Assert.Equal(3, prediction.Decoding.Components.Count);
        Assert.NotNull(prediction.Refitted);
        Assert.True(ProseTerms.SameTerms(prediction.Refitted, sample.Equations),
            $"{string.Join(" | ", prediction.Refitted.Select(Print.infix))} is not the Lorenz family {string.Join(" | ", sample.Equations.Select(Print.infix))}");
        Assert.All(prediction.RefitR2, r2 => Assert.True(r2 > 0.99, $"R² {r2}"));
    }

    [Fact]
    public void The_shipped_model_was_trained_on_the_twelve_default_families()
    {
        var info = Shipped().Info;
        Assert.Equal(ProseDataOptions.DefaultFamilies, info.Families);
        Assert.Equal(ProseModelOptions.Small, info.Model);
        Assert.True(new FileInfo(Path.Combine(ProseModelFile.FindShipped()!, ProseModelFile.WeightsFile)).Length < 5_000_000);
    }
}
