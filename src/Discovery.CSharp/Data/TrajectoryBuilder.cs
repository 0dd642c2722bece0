using System.Globalization;

namespace Discovery.Data;

/// <summary>
/// Collects the rows of a table (from CSV or Parquet) into trajectories with the checks every loader shares: time
/// increases within each trajectory, values are finite, at least one row, no constant state column unless allowed.
/// Errors name the source, the row and the column.
/// </summary>
internal sealed class TrajectoryBuilder(string source, string timeName, string[] stateNames, bool hasIds)
{
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Adds one row (its 1-based row number, trajectory id, time and state values; the values are copied).</summary>
    public void Add(int row, string id, double t, ReadOnlySpan<double> values)
    {
        if (!double.IsFinite(t)) throw new DataFormatException(source, row, timeName, "a finite number", CsvFields.Format(t));
        for (var j = 0; j < values.Length; j++)
            if (!double.IsFinite(values[j])) throw new DataFormatException(source, row, stateNames[j], "a finite number", CsvFields.Format(values[j]));
        if (!_groups.TryGetValue(id, out var group))
        {
            group = new Group(stateNames.Length);
            _groups[id] = group;
            _order.Add(id);
        }
        if (group.Times.Count > 0 && !(t > group.Times[^1]))
        {
            var context = hasIds ? $" within trajectory '{id}'" : "";
            throw new DataFormatException(source, row, timeName,
                $"time to increase{context} (row {group.LastRow} has {CsvFields.Format(group.Times[^1])})", CsvFields.Format(t));
        }
        group.Times.Add(t);
        group.LastRow = row;
        group.Rows.Add(values.ToArray());
    }

    /// <summary>The data set; throws when there were no rows or a state column is constant (unless allowed).</summary>
    public TrajectoryData Build(bool allowConstantColumns)
    {
        if (_order.Count == 0)
            throw new DataFormatException(source, null, null, "at least one data row after the header", "none");
        var data = new TrajectoryData(stateNames, _order.Select(id => _groups[id].ToTrajectory(id)).ToList(), timeName);
        if (!allowConstantColumns && data.TotalSamples >= 2)
        {
            for (var j = 0; j < data.Dimension; j++)
            {
                var first = data.Trajectories[0].States[0, j];
                if (data.Trajectories.All(t => Enumerable.Range(0, t.Length).All(k => t.States[k, j] == first)))
                    throw new DataFormatException(source, null, stateNames[j],
                        "a state that changes (allow constant columns to keep it)", $"the constant {CsvFields.Format(first)} in every row");
            }
        }
        return data;
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

}

/// <summary>Which column holds what, decided from the header names and the read options.</summary>
internal sealed record Layout(int TimeIndex, int? TrajectoryIndex, int[] StateIndices, string[] StateNames)
{
    public static Layout FromHeader(string[] header, CsvReadOptions options, string source, int? row)
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
