using System.CommandLine;
using System.Globalization;

namespace Discovery.Cli;

/// <summary>
/// Upper limits of the options that size memory or work (latent units, trajectories, samples, epochs, ...), checked
/// before any work starts so that a typing slip such as <c>--latent 100000</c> is a one-line error naming the option and
/// the limit instead of an out-of-memory crash. docs/limits.md lists them.
/// </summary>
internal static class OptionLimits
{
    /// <summary>Latent units of a PLRNN (its weight matrix is latent × latent).</summary>
    public const int Latent = 1_024;
    /// <summary>Hidden width of the shallow PLRNN, of a PINN's networks.</summary>
    public const int Width = 4_096;
    /// <summary>Layers of a PINN's surrogate network.</summary>
    public const int Depth = 64;
    /// <summary>Training epochs or optimisation steps.</summary>
    public const int Steps = 1_000_000;
    /// <summary>Sequences or instances per batch.</summary>
    public const int Batch = 4_096;
    /// <summary>Length of a training sequence.</summary>
    public const int Sequence = 100_000;
    /// <summary>Numbers one training batch holds: batch × sequence × max(latent, hidden).</summary>
    public const long BatchValues = 50_000_000;
    /// <summary>Trajectories of one simulation.</summary>
    public const int Trajectories = 100_000;
    /// <summary>Samples of one trajectory (simulated or generated).</summary>
    public const int Samples = 10_000_000;
    /// <summary>Numbers of one simulation: trajectories × samples × (states + 1), 800 MB as doubles.</summary>
    public const long SimulationValues = 100_000_000;
    /// <summary>Collocation points of a PINN.</summary>
    public const int Collocation = 1_000_000;
    /// <summary>Largest complexity of a symbolic search.</summary>
    public const int MaxSize = 1_000;
    /// <summary>Threads or workers.</summary>
    public const int Threads = 1_024;
    /// <summary>Models of an ensemble, instances per family, repeats of a benchmark.</summary>
    public const int Count = 100_000;
    /// <summary>Beam width of a decoder.</summary>
    public const int Beam = 256;
    /// <summary>Terms of a SINDy library (its least-squares problems are terms × terms).</summary>
    public const int LibraryTerms = 5_000;
    /// <summary>Degree of a polynomial library.</summary>
    public const int Degree = 10;

    /// <summary>A time budget in seconds (about 116 days): longer ones do not fit a TimeSpan's arithmetic.</summary>
    public const double MaxSeconds = 10_000_000;

    /// <summary>Throws <see cref="CliError"/> unless a time budget is a number of at most <see cref="MaxSeconds"/>.</summary>
    public static void Seconds(ParseResult parseResult, Option<double> option) => Seconds(option.Name, parseResult.GetValue(option));

    /// <summary>Throws <see cref="CliError"/> unless an optional time budget is a number of at most <see cref="MaxSeconds"/>.</summary>
    public static void Seconds(ParseResult parseResult, Option<double?> option)
    {
        if (parseResult.GetValue(option) is { } value) Seconds(option.Name, value);
    }

    private static void Seconds(string option, double value)
    {
        if (!(value <= MaxSeconds))
            throw new CliError(string.Create(CultureInfo.InvariantCulture, $"{option} must be at most {MaxSeconds:N0} seconds (got {value}); see docs/limits.md"));
    }

    /// <summary>Throws <see cref="CliError"/> when the value of <paramref name="option"/> is above <paramref name="limit"/>.</summary>
    public static void AtMost(ParseResult parseResult, Option<int> option, int limit) =>
        AtMost(option.Name, parseResult.GetValue(option), limit);

    /// <summary>Throws <see cref="CliError"/> when an optional value is above <paramref name="limit"/>.</summary>
    public static void AtMost(ParseResult parseResult, Option<int?> option, int limit)
    {
        if (parseResult.GetValue(option) is { } value) AtMost(option.Name, value, limit);
    }

    /// <summary>Throws <see cref="CliError"/> naming <paramref name="what"/> when <paramref name="value"/> is above <paramref name="limit"/>.</summary>
    public static void AtMost(string what, long value, long limit)
    {
        if (value > limit)
            throw new CliError(string.Create(CultureInfo.InvariantCulture, $"{what} must be at most {limit:N0} (got {value:N0}); see docs/limits.md"));
    }
}
