namespace Discovery.Data;

/// <summary>
/// A data file does not have the shape or content expected. Names the file, the row (the line number as an editor or
/// spreadsheet shows it, the header being row 1) and the column where known, says what was expected and what was found.
/// The message is one line, fit to show a user as it is.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>A problem at <paramref name="row"/>/<paramref name="column"/> of <paramref name="file"/> (either may be null).</summary>
    public DataFormatException(string file, int? row, string? column, string expected, string? found = null)
        : base(Describe(file, row, column, expected, found))
    {
        File = file;
        Row = row;
        Column = column;
        Expected = expected;
        Found = found;
    }

    /// <summary>The file (as given by the caller) or a description of the source.</summary>
    public string File { get; }

    /// <summary>1-based row (line) number, or null when the problem is not in one row.</summary>
    public int? Row { get; }

    /// <summary>The column name, or null when the problem is not in one column.</summary>
    public string? Column { get; }

    /// <summary>What was expected, e.g. "a number".</summary>
    public string Expected { get; }

    /// <summary>What was found instead, or null.</summary>
    public string? Found { get; }

    private static string Describe(string file, int? row, string? column, string expected, string? found)
    {
        var where = file;
        if (row is { } r) where += $", row {r}";
        if (column is not null) where += $", column '{column}'";
        return found is null ? $"{where}: expected {expected}" : $"{where}: expected {expected}, found {found}";
    }
}
