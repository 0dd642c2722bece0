using System.Globalization;
using CsvHelper;

namespace Discovery.Data;

/// <summary>How to read trajectories from a CSV file.</summary>
/// <param name="TimeColumn">Name of the time column; null looks for "t", then "time".</param>
/// <param name="TrajectoryColumn">Name of the column that tells trajectories apart; null uses "trajectory" if present.</param>
/// <param name="StateColumns">The state columns to read, in this order; null reads every other column.</param>
/// <param name="AllowConstantColumns">Accept state columns whose value never changes (refused by default: a state that
/// never moves cannot be learned from, and usually means a wrong column).</param>
/// <param name="Delimiter">Field separator.</param>
public sealed record CsvReadOptions(
    string? TimeColumn = null,
    string? TrajectoryColumn = null,
    IReadOnlyList<string>? StateColumns = null,
    bool AllowConstantColumns = false,
    char Delimiter = ',')
{
    /// <summary>Defaults: time column "t" (or "time"), optional "trajectory" column, every other column a state.</summary>
    public static CsvReadOptions Default { get; } = new();
}

/// <summary>
/// Reads and writes trajectory data as CSV: a header line, a time column, one column per state, and (for several
/// trajectories in one file) a trajectory id column. Every value must be a finite number and time must increase within
/// each trajectory; anything else is a <see cref="DataFormatException"/> naming file, row and column. Nothing is skipped
/// silently: blank lines and lines starting with '#' are the only lines not read as data.
/// </summary>
public static class TrajectoryCsv
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="DataFormatException"/> for bad content, IOException for I/O.</summary>
    public static TrajectoryData Read(string path, CsvReadOptions? options = null)
    {
        using var reader = DataFile.OpenText(path);
        return Read(reader, path, options);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    public static TrajectoryData Read(TextReader reader, string source, CsvReadOptions? options = null)
    {
        options ??= CsvReadOptions.Default;
        try
        {
            return ReadRecords(reader, source, options);
        }
        catch (CsvFormatException e)
        {
            throw new DataFormatException(source, e.LineNumber > 0 ? (int)e.LineNumber : null, null,
                "well-formed CSV (quotes only around whole fields)", "malformed quoting");
        }
    }

    private static TrajectoryData ReadRecords(TextReader reader, string source, CsvReadOptions options)
    {
        using var csv = CsvReader.Create(DataFile.Bound(reader, source), CsvFields.ReaderOptions(options.Delimiter), leaveOpen: true);
        var header = CsvFields.Header(csv, source);
        var headerRow = 1;
        var layout = Layout.FromHeader(header, options, source, headerRow);
        var record = new string[header.Length];

        var builder = new TrajectoryBuilder(source, header[layout.TimeIndex], layout.StateNames, layout.TrajectoryIndex is not null);
        var values = new double[layout.StateIndices.Length];
        var rows = 0L;
        while (csv.Read())
        {
            var row = (int)csv.LineNumber;
            DataLimits.CheckRows(source, row, ++rows, header.Length);
            if (csv.FieldCount != header.Length)
                throw new DataFormatException(source, row, null, $"{header.Length} fields as in the header", $"{csv.FieldCount} (a ragged row)");
            for (var i = 0; i < record.Length; i++) record[i] = csv.GetString(i) ?? "";
            var id = layout.TrajectoryIndex is { } ti ? record[ti] : "0";
            if (layout.TrajectoryIndex is not null && string.IsNullOrWhiteSpace(id))
                throw new DataFormatException(source, row, header[layout.TrajectoryIndex.Value], "a trajectory id", "an empty field");
            var t = CsvFields.ParseNumber(record[layout.TimeIndex], source, row, header[layout.TimeIndex]);
            for (var j = 0; j < values.Length; j++)
            {
                var column = layout.StateIndices[j];
                values[j] = CsvFields.ParseNumber(record[column], source, row, header[column]);
            }
            builder.Add(row, id, t, values);
        }
        return builder.Build(options.AllowConstantColumns);
    }

    /// <summary>Reads several files as one data set (see <see cref="TrajectoryFiles.ReadMany"/>).</summary>
    public static TrajectoryData ReadMany(IReadOnlyList<string> paths, CsvReadOptions? options = null) => TrajectoryFiles.ReadMany(paths, options);

    /// <summary>
    /// Writes <paramref name="data"/> to <paramref name="path"/>: columns time, states, and "trajectory" when there is
    /// more than one trajectory. Refuses to replace an existing file unless <paramref name="overwrite"/> (IOException).
    /// </summary>
    public static void Write(string path, TrajectoryData data, bool overwrite = false)
    {
        using var stream = new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
        using var writer = new StreamWriter(stream);
        Write(writer, data);
    }

    /// <summary>Writes <paramref name="data"/> as CSV text (numbers in shortest round-trip form, invariant culture).</summary>
    public static void Write(TextWriter writer, TrajectoryData data)
    {
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { NewLine = "\n", Injection = CsvInjection.None }, leaveOpen: true);
        var withId = data.Trajectories.Count > 1;
        var header = new List<string> { data.TimeName };
        header.AddRange(data.StateNames);
        if (withId) header.Add("trajectory");
        csv.WriteHeader(header.ToArray());
        foreach (var trajectory in data.Trajectories)
        {
            for (var k = 0; k < trajectory.Length; k++)
            {
                csv.WriteField(CsvFields.Format(trajectory.Times[k]));
                for (var j = 0; j < trajectory.Dimension; j++) csv.WriteField(CsvFields.Format(trajectory.States[k, j]));
                if (withId) csv.WriteField(trajectory.Id);
                csv.EndRecord();
            }
        }
        csv.Flush();
    }
}
