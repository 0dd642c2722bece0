namespace Discovery.Data;

/// <summary>
/// Trajectory files by extension: ".parquet" through <see cref="TrajectoryParquet"/>, anything else as CSV through
/// <see cref="TrajectoryCsv"/>; and several files read as one data set.
/// </summary>
public static class TrajectoryFiles
{
    /// <summary>True when <paramref name="path"/> names a Parquet file (by its extension).</summary>
    public static bool IsParquet(string path) => string.Equals(Path.GetExtension(path), ".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads one file, Parquet or CSV by extension.</summary>
    public static TrajectoryData Read(string path, CsvReadOptions? options = null) =>
        IsParquet(path) ? TrajectoryParquet.Read(path, options) : TrajectoryCsv.Read(path, options);

    /// <summary>Writes one file, Parquet or CSV by extension; refuses to replace a file unless <paramref name="overwrite"/>.</summary>
    public static void Write(string path, TrajectoryData data, bool overwrite = false)
    {
        if (IsParquet(path)) TrajectoryParquet.Write(path, data, overwrite);
        else TrajectoryCsv.Write(path, data, overwrite);
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

}
