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
        using var reader = new StreamReader(path);
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
        using var csv = CsvReader.Create(reader, ReaderOptions(options), leaveOpen: true);
        var header = csv.Headers.ToArray();
        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
            throw new DataFormatException(source, null, null, "a header line with column names", "an empty file");
        var headerRow = 1;
        var layout = Layout.FromHeader(header, options, source, headerRow);
        var record = new string[header.Length];

        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var order = new List<string>();
        while (csv.Read())
        {
            var row = (int)csv.LineNumber;
            if (csv.FieldCount != header.Length)
                throw new DataFormatException(source, row, null, $"{header.Length} fields as in the header", $"{csv.FieldCount} (a ragged row)");
            for (var i = 0; i < record.Length; i++) record[i] = csv.GetString(i) ?? "";
            var id = layout.TrajectoryIndex is { } ti ? record[ti] : "0";
            if (layout.TrajectoryIndex is not null && string.IsNullOrWhiteSpace(id))
                throw new DataFormatException(source, row, header[layout.TrajectoryIndex.Value], "a trajectory id", "an empty field");
            if (!groups.TryGetValue(id, out var group))
            {
                group = new Group(layout.StateIndices.Length);
                groups[id] = group;
                order.Add(id);
            }
            var t = ParseNumber(record[layout.TimeIndex], source, row, header[layout.TimeIndex]);
            if (group.Times.Count > 0 && !(t > group.Times[^1]))
            {
                var context = layout.TrajectoryIndex is null ? "" : $" within trajectory '{id}'";
                throw new DataFormatException(source, row, header[layout.TimeIndex],
                    $"time to increase{context} (row {group.LastRow} has {Format(group.Times[^1])})", Format(t));
            }
            group.Times.Add(t);
            group.LastRow = row;
            var values = new double[layout.StateIndices.Length];
            for (var j = 0; j < values.Length; j++)
            {
                var column = layout.StateIndices[j];
                values[j] = ParseNumber(record[column], source, row, header[column]);
            }
            group.Rows.Add(values);
        }
        if (order.Count == 0)
            throw new DataFormatException(source, null, null, "at least one data row after the header", "none");

        var trajectories = order.Select(id => groups[id].ToTrajectory(id)).ToList();
        var data = new TrajectoryData(layout.StateNames, trajectories, header[layout.TimeIndex]);
        if (!options.AllowConstantColumns) RejectConstantColumns(data, source);
        return data;
    }

    /// <summary>
    /// Reads several files as one data set, each file one trajectory (or several, if it has a trajectory column; ids are
    /// then prefixed by the file name). Every file must have the same state columns (in any order).
    /// </summary>
    public static TrajectoryData ReadMany(IReadOnlyList<string> paths, CsvReadOptions? options = null)
    {
        if (paths.Count == 0) throw new ArgumentException("no files given", nameof(paths));
        if (paths.Count == 1) return Read(paths[0], options);
        TrajectoryData? first = null;
        var trajectories = new List<Trajectory>();
        foreach (var path in paths)
        {
            var data = Read(path, options);
            first ??= data;
            var reorder = first.StateNames.Select(data.IndexOf).ToArray();
            if (data.Dimension != first.Dimension || reorder.Any(j => j < 0))
                throw new DataFormatException(path, 1, null,
                    $"the state columns of {paths[0]} ({string.Join(", ", first.StateNames)})", string.Join(", ", data.StateNames));
            var name = Path.GetFileNameWithoutExtension(path);
            foreach (var trajectory in data.Trajectories)
            {
                var states = new double[trajectory.Length, first.Dimension];
                for (var k = 0; k < trajectory.Length; k++)
                for (var j = 0; j < first.Dimension; j++)
                    states[k, j] = trajectory.States[k, reorder[j]];
                var id = data.Trajectories.Count == 1 ? name : $"{name}/{trajectory.Id}";
                if (trajectories.Any(t => t.Id == id)) id = $"{path}/{trajectory.Id}";
                trajectories.Add(new Trajectory(trajectory.Times, states, id));
            }
        }
        return new TrajectoryData(first!.StateNames, trajectories, first.TimeName);
    }

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
                csv.WriteField(Format(trajectory.Times[k]));
                for (var j = 0; j < trajectory.Dimension; j++) csv.WriteField(Format(trajectory.States[k, j]));
                if (withId) csv.WriteField(trajectory.Id);
                csv.EndRecord();
            }
        }
        csv.Flush();
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static CsvReaderOptions ReaderOptions(CsvReadOptions options) =>
        new()
        {
            Separator = options.Delimiter,
            HasHeader = true,
            TrimWhitespace = true,
            CommentPrefix = '#',
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = false,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
        };

    private static double ParseNumber(string field, string source, int row, string column)
    {
        if (string.IsNullOrWhiteSpace(field))
            throw new DataFormatException(source, row, column, "a number", "an empty field");
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new DataFormatException(source, row, column, "a number", $"'{field}'");
        if (!double.IsFinite(value))
            throw new DataFormatException(source, row, column, "a finite number", $"'{field}'");
        return value;
    }

    private static void RejectConstantColumns(TrajectoryData data, string source)
    {
        if (data.TotalSamples < 2) return;
        for (var j = 0; j < data.Dimension; j++)
        {
            var first = data.Trajectories[0].States[0, j];
            if (data.Trajectories.All(t => Enumerable.Range(0, t.Length).All(k => t.States[k, j] == first)))
                throw new DataFormatException(source, null, data.StateNames[j],
                    "a state that changes (allow constant columns to keep it)", $"the constant {Format(first)} in every row");
        }
    }

    /// <summary>Rows of one trajectory while reading.</summary>
    private sealed class Group(int dimension)
    {
        public List<double> Times { get; } = [];
        public List<double[]> Rows { get; } = [];
        public int LastRow { get; set; }

        public Trajectory ToTrajectory(string id)
        {
            var states = new double[Rows.Count, dimension];
            for (var k = 0; k < Rows.Count; k++)
            for (var j = 0; j < dimension; j++)
                states[k, j] = Rows[k][j];
            return new Trajectory(Times.ToArray(), states, id);
        }
    }

    /// <summary>Which field holds what, decided from the header.</summary>
    private sealed record Layout(int TimeIndex, int? TrajectoryIndex, int[] StateIndices, string[] StateNames)
    {
        public static Layout FromHeader(string[] header, CsvReadOptions options, string source, int row)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                var name = header[i];
                if (string.IsNullOrWhiteSpace(name))
                    throw new DataFormatException(source, row, $"#{i + 1}", "a column name", "an empty header field");
                if (!index.TryAdd(name, i))
                    throw new DataFormatException(source, row, name, "distinct column names", "the name twice");
            }
            int timeIndex;
            if (options.TimeColumn is { } timeName)
            {
                if (!index.TryGetValue(timeName, out timeIndex))
                    throw new DataFormatException(source, row, null, $"a time column named '{timeName}'", $"columns {string.Join(", ", header)}");
            }
            else if (!index.TryGetValue("t", out timeIndex) && !index.TryGetValue("time", out timeIndex))
                throw new DataFormatException(source, row, null, "a time column named 't' or 'time' (or name the time column)", $"columns {string.Join(", ", header)}");

            int? trajectoryIndex = null;
            if (options.TrajectoryColumn is { } trajectoryName)
            {
                if (!index.TryGetValue(trajectoryName, out var ti))
                    throw new DataFormatException(source, row, null, $"a trajectory column named '{trajectoryName}'", $"columns {string.Join(", ", header)}");
                trajectoryIndex = ti;
            }
            else if (index.TryGetValue("trajectory", out var ti)) trajectoryIndex = ti;

            string[] stateNames;
            if (options.StateColumns is { } wanted)
            {
                foreach (var name in wanted)
                    if (!index.ContainsKey(name) || index[name] == timeIndex || index[name] == trajectoryIndex)
                        throw new DataFormatException(source, row, name, "a state column of that name", $"columns {string.Join(", ", header)}");
                stateNames = wanted.ToArray();
            }
            else
                stateNames = header.Where((_, i) => i != timeIndex && i != trajectoryIndex).ToArray();
            if (stateNames.Length == 0)
                throw new DataFormatException(source, row, null, "at least one state column besides time", $"columns {string.Join(", ", header)}");
            return new Layout(timeIndex, trajectoryIndex, stateNames.Select(n => index[n]).ToArray(), stateNames);
        }
    }
}
