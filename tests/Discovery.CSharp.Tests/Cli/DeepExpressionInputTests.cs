using System.Globalization;

namespace Discovery.Tests.Cli;

/// <summary>The commands that read equations or library terms besides the formula commands (<c>simulate</c>,
/// <c>pinn --equation</c>, <c>sindy --library custom:</c>): a chain too deep to parse is one positioned line and exit
/// code 2, never a stack overflow that kills the process.</summary>
public sealed class DeepExpressionInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("discovery-deep-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly string[] Chains = [new string('-', 30000) + "x", string.Concat(Enumerable.Repeat("x^-", 10000)) + "x"];

    /// <summary>A small valid trajectory file (t, x decaying), so that only the expression can be at fault.</summary>
    private string Data()
    {
        var path = Path.Combine(_folder, "decay.csv");
        var rows = Enumerable.Range(0, 40).Select(k =>
        {
            var t = 0.1 * k;
            return string.Create(CultureInfo.InvariantCulture, $"{t},{Math.Exp(-0.5 * t)}");
        });
        File.WriteAllLines(path, ["t,x", .. rows]);
        return path;
    }

    [Theory]
    [InlineData("simulate")]
    [InlineData("pinn")]
    [InlineData("sindy")]
    public void A_chain_too_deep_to_parse_is_one_positioned_line(string command)
    {
        foreach (var chain in Chains)
        {
            var args = command switch
            {
                "simulate" => ["simulate", $"x' = {chain}", "-o", Path.Combine(_folder, "out.csv")],
                "pinn" => ["pinn", Data(), "--equation", $"x' = {chain} + h1(x)"],
                _ => new[] { "sindy", Data(), "--library", $"custom:{chain}" },
            };
            var (code, output, error) = CliBasicsTests.Run(args);
            Assert.Equal(2, code);
            Assert.Contains("expected at most 100 nested levels", error);
            Assert.Matches(@"line 1, column \d+", error);
            Assert.Single(error.TrimEnd().Split('\n'));
            Assert.True(error.Length < 1000, $"the error echoes the whole input ({error.Length} characters)");
            Assert.False(File.Exists(Path.Combine(_folder, "out.csv")));
        }
    }
}
