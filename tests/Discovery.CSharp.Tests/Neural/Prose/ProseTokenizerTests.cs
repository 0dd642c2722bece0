using Discovery.Neural.Prose;
using Symbolic;

namespace Discovery.Tests.Neural.Prose;

public class ProseTokenizerTests
{
    [Theory]
    [InlineData("u_0*u_1 - 3*u_2")]
    [InlineData("sin(u_1) - 2*u_0")]
    [InlineData("1 - u_0*u_1")]
    [InlineData("u_0^2 + u_1^3 - u_2^-1 + sqrt(u_0)")]
    [InlineData("exp(-u_0^2)*cos(u_1) + pi")]
    [InlineData("u_0^2.5")]
    public void Expressions_with_integer_constants_come_back_unchanged(string text)
    {
        var expression = Algebra.Parse(text);
        var decoded = ProseTokenizer.Decode(ProseTokenizer.Encode(expression));
        Assert.True(decoded.IsValid, decoded.Error);
        Assert.Equal(Print.infix(expression), Print.infix(Assert.Single(decoded.Components)));
    }

    [Fact]
    public void Systems_round_trip_through_tokens_with_three_significant_digits()
    {
        var system = new[] { Algebra.Parse("10.37*u_1 - 10.37*u_0"), Algebra.Parse("28.1*u_0 - u_0*u_2 - u_1"), Algebra.Parse("u_0*u_1 - 2.6667*u_2") };
        var tokens = ProseTokenizer.Encode(system);
        Assert.Equal(2, tokens.Count(t => t == ProseTokenizer.Separator));
        var decoded = ProseTokenizer.Decode(tokens);
        Assert.True(decoded.IsValid, decoded.Error);
        Assert.Equal("10.4*u_1 - 10.4*u_0", Print.infix(decoded.Components[0]));
        Assert.Equal("u_0*u_1 - 2.67*u_2", Print.infix(decoded.Components[2]));
        Assert.Equal(tokens, ProseTokenizer.Encode(decoded.Components));
    }

    [Fact]
    public void Numbers_are_a_sign_a_three_digit_mantissa_and_an_exponent()
    {
        Assert.Equal(("+", "N250", "E0"), ProseTokenizer.EncodeNumber(2.5));
        Assert.Equal(("-", "N314", "E-2"), ProseTokenizer.EncodeNumber(-0.031415));
        Assert.Equal(("+", "N100", "E1"), ProseTokenizer.EncodeNumber(9.996));
        Assert.Equal(("+", "N000", "E0"), ProseTokenizer.EncodeNumber(0));
        Assert.Equal(-0.0314, ProseTokenizer.DecodeNumber("-", "N314", "E-2"));
        Assert.Equal("add mul - N100 E0 u_0 u_1", string.Join(' ', ProseTokenizer.Encode(Algebra.Parse("u_1 - u_0"))));
    }

    [Theory]
    [InlineData("add u_0", "ends inside an expression")]
    [InlineData("u_0 u_1", "expected '|'")]
    [InlineData("mul + N250 u_0", "is not a number")]
    [InlineData("add | u_0", "'|' where an expression")]
    [InlineData("sin E3", "outside a number")]
    [InlineData("", "empty")]
    public void Malformed_sequences_are_reported_not_thrown(string text, string reason)
    {
        var decoded = ProseTokenizer.Decode(text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(decoded.IsValid);
        Assert.Contains(reason, decoded.Error);
        Assert.Empty(decoded.Components);
    }

    [Fact]
    public void Decoding_stops_at_the_end_marker_and_ids_map_back_to_tokens()
    {
        var ids = ProseTokenizer.EncodeIds([Algebra.Parse("u_0*u_1")]).Append(ProseTokenizer.Id(ProseTokenizer.End)).Append(5).ToArray();
        var decoded = ProseTokenizer.DecodeIds(ids);
        Assert.True(decoded.IsValid, decoded.Error);
        Assert.Equal("u_0*u_1", Print.infix(decoded.Components[0]));
        Assert.False(ProseTokenizer.DecodeIds([999_999]).IsValid);
    }

    [Fact]
    public void Variables_outside_the_language_are_refused_when_encoding()
    {
        Assert.Throws<ArgumentException>(() => ProseTokenizer.Encode(Algebra.Parse("x + 1")));
    }
}

public class ProseGrammarTests
{
    [Fact]
    public void The_grammar_accepts_every_encoded_system_and_nothing_after_the_end()
    {
        foreach (var sample in new ProseDataGenerator().Samples(4).Take(12))
        {
            var grammar = new ProseGrammar(3);
            foreach (var id in sample.TargetIds.Append(ProseTokenizer.Id(ProseTokenizer.End)))
            {
                Assert.True(grammar.Allows(id), ProseTokenizer.Vocabulary[id]);
                grammar.Advance(id);
            }
            Assert.True(grammar.Finished);
        }
    }

    [Fact]
    public void Any_walk_through_allowed_tokens_decodes_into_the_right_number_of_components()
    {
        var random = new Random(3);
        var end = ProseTokenizer.Id(ProseTokenizer.End);
        for (var walk = 0; walk < 30; walk++)
        {
            var grammar = new ProseGrammar(2);
            var ids = new List<int>();
            while (!grammar.Finished && ids.Count < 400)
            {
                var allowed = Enumerable.Range(0, ProseTokenizer.VocabularySize).Where(grammar.Allows).ToArray();
                // Favour closing tokens so the walk ends: leaves and the end marker over operators.
                var closing = allowed.Where(id => !ProseTokenizer.Vocabulary[id].StartsWith("add") && !ProseTokenizer.Vocabulary[id].StartsWith("mul")
                                                  && !ProseTokenizer.Vocabulary[id].StartsWith("pow")).ToArray();
                var pick = closing.Length > 0 && random.NextDouble() < 0.7 ? closing[random.Next(closing.Length)] : allowed[random.Next(allowed.Length)];
                grammar.Advance(pick);
                ids.Add(pick);
            }
            Assert.True(grammar.Finished);
            Assert.Equal(end, ids[^1]);
            var decoded = ProseTokenizer.DecodeIds(ids);
            Assert.True(decoded.IsValid, decoded.Error);
            Assert.Equal(2, decoded.Components.Count);
        }
    }
}
