namespace Discovery.Data;

/// <summary>
/// The largest data file the readers take. They keep a file from making the tool read forever (a device such as
/// <c>/dev/zero</c>, a file with no line breaks) or fill the memory; each is checked while streaming and reported as a
/// <see cref="DataFormatException"/> naming the file (and the row where one applies). docs/limits.md lists them.
/// </summary>
public static class DataLimits
{
    /// <summary>Bytes (characters, for a stream) in one data file: 1 GiB.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>Characters in one line: 1 Mi.</summary>
    public const int MaxLineChars = 1 << 20;

    /// <summary>Columns in one table.</summary>
    public const int MaxColumns = 10_000;

    /// <summary>Data rows in one file.</summary>
    public const int MaxRows = 10_000_000;

    /// <summary>Numbers in one file (rows × columns): 100 million, 800 MB as doubles.</summary>
    public const long MaxValues = 100_000_000;

    /// <summary>Throws when <paramref name="rows"/> data rows of <paramref name="columns"/> columns pass a limit.</summary>
    internal static void CheckRows(string source, int row, long rows, int columns)
    {
        if (rows > MaxRows)
            throw new DataFormatException(source, row, null, $"at most {MaxRows:N0} data rows", "more");
        if (rows * columns > MaxValues)
            throw new DataFormatException(source, row, null, $"at most {MaxValues:N0} numbers (rows × columns)", $"more ({columns} columns)");
    }

    /// <summary>Throws when a header of <paramref name="columns"/> names passes <see cref="MaxColumns"/>.</summary>
    internal static void CheckColumns(string source, int columns)
    {
        if (columns > MaxColumns)
            throw new DataFormatException(source, 1, null, $"at most {MaxColumns:N0} columns", $"{columns:N0}");
    }
}
