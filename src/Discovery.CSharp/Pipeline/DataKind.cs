namespace Discovery.Pipeline;

/// <summary>What a data file holds, which decides the pipeline <c>discover</c> runs.</summary>
public enum DataKind
{
    /// <summary>Rows of inputs and an output: symbolic regression.</summary>
    Table,

    /// <summary>States over time (a time column): derivatives, SINDy, then refinement by the search.</summary>
    Trajectories,
}

/// <summary>Decides the kind of a CSV file from its header.</summary>
public static class DataKinds
{
    /// <summary>Trajectories when the header has the named time column (or "t" / "time" when none is named).</summary>
    public static DataKind Detect(IReadOnlyList<string> header, string? timeColumn) =>
        timeColumn is not null
            ? (header.Contains(timeColumn) ? DataKind.Trajectories : DataKind.Table)
            : header.Any(h => h is "t" or "time") ? DataKind.Trajectories : DataKind.Table;

    /// <summary>The header of a CSV file (first line that is not blank or a '#' comment), split on commas.</summary>
    /// <exception cref="Data.DataFormatException">Not a file, too large, or not text.</exception>
    public static IReadOnlyList<string> ReadHeader(string path)
    {
        using var reader = Data.DataFile.OpenText(path);
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            return trimmed.Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        }
        return [];
    }
}
