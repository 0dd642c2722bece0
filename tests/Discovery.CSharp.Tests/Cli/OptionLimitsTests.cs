namespace Discovery.Tests.Cli;

/// <summary>Options that size memory or work have upper limits, checked before any work: one line naming the option and
/// the limit, exit code 2.</summary>
public sealed class OptionLimitsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("discovery-limits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string[]> TooLarge() => new()
    {
        { "--latent must be at most 1,024", ["plrnn", "DATA", "--latent", "100000"] },
        { "--hidden must be at most 4,096", ["plrnn", "DATA", "--hidden", "100000"] },
        { "--batch x --sequence x max(--latent, --hidden) must be at most 50,000,000", ["plrnn", "DATA", "--batch", "4096", "--sequence", "100000"] },
        { "--generate must be at most 10,000,000", ["plrnn", "DATA", "--generate", "2000000000"] },
        { "--trajectories must be at most 100,000", ["simulate", "lorenz", "--trajectories", "2000000000", "-o", "OUT"] },
        { "samples per trajectory (--t-end / --dt) must be at most 10,000,000", ["simulate", "lorenz", "--t-end", "1e12", "-o", "OUT"] },
        { "must be at most 100,000,000", ["simulate", "lorenz", "--trajectories", "50000", "-o", "OUT"] },
        { "--collocation must be at most 1,000,000", ["pinn", "DATA", "--equation", "x' = h1(x)", "--collocation", "2000000000"] },
        { "--epochs must be at most 1,000,000", ["pinn", "DATA", "--equation", "x' = h1(x)", "--epochs", "2000000000"] },
        { "--width must be at most 4,096", ["pinn", "DATA", "--equation", "x' = h1(x)", "--width", "100000"] },
        { "--maxsize must be at most 1,000", ["sr", "DATA", "--maxsize", "100000"] },
        { "--models must be at most 100,000", ["sindy", "DATA", "--models", "10000000"] },
        { "--beam must be at most 256", ["prose", "predict", "DATA", "--beam", "100000"] },
        { "--steps must be at most 1,000,000", ["prose", "train", "--out", "OUT", "--steps", "2000000000"] },
        { "--rows must be at most 10,000,000", ["bench", "eval", "--rows", "2000000000"] },
        { "--seconds must be at most 10,000,000 seconds (got 1E+308)", ["sr", "DATA", "--seconds", "1e308"] },
        { "--seconds must be at most 10,000,000 seconds (got NaN)", ["discover", "DATA", "--seconds", "NaN", "--out", "OUT"] },
        { "--refine-seconds must be at most 10,000,000 seconds", ["sindy", "DATA", "--refine-seconds", "1e308"] },
        { "--search-seconds must be at most 10,000,000 seconds", ["pinn", "DATA", "--equation", "x' = h1(x)", "--search-seconds", "1e308"] },
    };

    [Theory]
    [MemberData(nameof(TooLarge))]
    public void A_size_over_its_limit_is_one_line_naming_the_option_and_the_limit(string message, string[] args)
    {
        var data = Path.Combine(_dir, "data.csv");
        File.WriteAllText(data, "t,x\n0,1\n1,2\n2,4\n");
        var output = Path.Combine(_dir, "out.csv");
        var (code, _, error) = CliBasicsTests.Run(args.Select(a => a switch { "DATA" => data, "OUT" => output, _ => a }).ToArray());
        Assert.Equal(2, code);
        var line = Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains(message, line);
        Assert.False(File.Exists(output) || Directory.Exists(output));
    }

    [Fact]
    public void A_sindy_library_over_its_term_limit_is_refused_before_it_is_built()
    {
        var data = Path.Combine(_dir, "xyz.csv");
        File.WriteAllText(data, "t,x,y,z\n0,1,2,3\n1,2,3,1\n2,4,1,2\n3,3,2,5\n");
        var (code, _, error) = CliBasicsTests.Run("sindy", data, "--library", "poly:10*fourier:5", "--refine-seconds", "0");
        Assert.Equal(2, code);
        Assert.Contains("must be at most 5,000 (got 8,580)", Assert.Single(error.TrimEnd('\n').Split('\n')));
    }
}
