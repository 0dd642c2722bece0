using Discovery.Neural.Prose;
using Symbolic;
using Xunit.Abstractions;

namespace Discovery.Tests.Neural.Prose;

public class ProseDataTests(ITestOutputHelper output)
{
    [Fact]
    public void The_same_seed_gives_the_same_stream_and_another_seed_a_different_one()
    {
        var generator = new ProseDataGenerator();
        var a = generator.Samples(5).Take(6).ToArray();
        var b = new ProseDataGenerator().Samples(5).Take(6).ToArray();
        var c = generator.Samples(6).Take(6).ToArray();
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i].Family, b[i].Family);
            Assert.Equal(a[i].TargetIds, b[i].TargetIds);
            Assert.Equal(a[i].InputIds, b[i].InputIds);
            Assert.Equal(a[i].States, b[i].States);
        }
        Assert.NotEqual(a.Select(s => s.States[1, 0]), c.Select(s => s.States[1, 0]));
        foreach (var s in a) output.WriteLine($"{s.Family}: {string.Join(" | ", s.Equations.Select(Print.infix))} ({s.TargetIds.Length} tokens)");
    }

    [Fact]
    public void Instances_have_the_paper_shape_and_decode_to_their_equations()
    {
        var generator = new ProseDataGenerator();
        foreach (var sample in generator.Samples(11).Take(12))
        {
            Assert.Equal(192, sample.Times.Length);
            Assert.Equal(6.0, sample.Times[^1], 12);
            Assert.Equal((192, 3), (sample.States.GetLength(0), sample.States.GetLength(1)));
            for (var i = 0; i < 3; i++) Assert.InRange(sample.States[0, i], -2, 2);
            var decoded = ProseTokenizer.DecodeIds(sample.TargetIds);
            Assert.True(decoded.IsValid, decoded.Error);
            Assert.True(ProseTerms.SameTerms(sample.Equations, decoded.Components));
        }
    }

    [Fact]
    public void Lorenz_instances_have_the_lorenz_terms_with_parameters_near_nominal()
    {
        var sample = new ProseDataGenerator().Sample("lorenz", 3)!;
        var sets = ProseTerms.TermSets(sample.Equations);
        Assert.Equal(["u_0", "u_1"], sets[0]);
        Assert.Equal(["u_0", "u_0*u_2", "u_1"], sets[1]);
        Assert.Equal(["u_0*u_1", "u_2"], sets[2]);
        var sigma = ProseTerms.Terms(sample.Equations[0]).Select(ProseTerms.Split).Single(t => Print.infix(t.Monomial) == "u_1").Coefficient;
        Assert.InRange(sigma, 9, 11);
        Assert.False(sample.HasGuess);
    }

    [Fact]
    public void Symbol_noise_adds_or_drops_terms_but_keeps_every_component()
    {
        var equations = new ProseDataGenerator().Sample("aizawa", 1)!.Equations;
        var random = new Random(2);
        var changed = 0;
        for (var k = 0; k < 50; k++)
        {
            var noisy = ProseDataGenerator.AddSymbolNoise(equations, random, 0.15, 3);
            Assert.Equal(3, noisy.Count);
            if (!ProseTerms.SameTerms(noisy, equations)) changed++;
        }
        Assert.InRange(changed, 10, 50);
    }
}
