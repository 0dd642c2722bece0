using Discovery.Data;

namespace Discovery.Cli;

/// <summary>Reading the user's data files for a command: a file that cannot be read or parsed is a one-line error that
/// names the file (and, from the readers, the row and column).</summary>
internal static class CliInput
{
    /// <summary>A table of named numeric columns with at least two rows.</summary>
    public static Table Table(string path) => Read(path, () => TableCsv.Read(path, minimumRows: 2));

    /// <summary>Trajectories from a CSV with a time column (<paramref name="timeColumn"/>, or <c>t</c>/<c>time</c>) and
    /// optionally a trajectory column.</summary>
    public static TrajectoryData Trajectories(string path, string? timeColumn, string? trajectoryColumn = null) =>
        Read(path, () => TrajectoryCsv.Read(path, new CsvReadOptions(TimeColumn: timeColumn, TrajectoryColumn: trajectoryColumn)));

    /// <summary>Fails early, before any work, unless <paramref name="path"/> is an existing data file within the size limit.</summary>
    public static void Check(string path) => Read(path, () =>
    {
        DataFile.Check(path);
        return 0;
    });

    /// <summary>Runs <paramref name="read"/>, turning a bad or unreadable file into one <see cref="CliError"/> line.</summary>
    public static T Read<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DataFormatException e)
        {
            throw new CliError(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"cannot read {path}: {e.Message}");
        }
    }
}
