using System.Globalization;
using CsvHelper;

namespace Discovery.Data;

/// <summary>The reading and formatting rules every CSV file of ours shares: invariant culture, '#' comments, blank
/// lines skipped, quotes honoured, numbers finite or a <see cref="DataFormatException"/> naming file, row and column.</summary>
internal static class CsvFields
{
    public static CsvReaderOptions ReaderOptions(char delimiter) =>
        new()
        {
            Separator = delimiter,
            HasHeader = true,
            TrimWhitespace = true,
            CommentPrefix = '#',
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = false,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
        };

    /// <summary>
    /// The header of <paramref name="csv"/>: present, within <see cref="DataLimits.MaxColumns"/>, and not a row of numbers
    /// (a file without a header would otherwise lose its first data row to column names).
    /// </summary>
    public static string[] Header(CsvReader csv, string source)
    {
        var header = csv.Headers.ToArray();
        // A reader that is not a file (a string, a stream) keeps the byte-order mark a StreamReader would skip.
        if (header.Length > 0) header[0] = header[0].TrimStart('\uFEFF').Trim();
        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
            throw new DataFormatException(source, null, null, "a header line with column names", "an empty file");
        DataLimits.CheckColumns(source, header.Length);
        if (header.Length == 1 && header[0].Contains(';'))
            throw new DataFormatException(source, (int)Math.Max(1, csv.LineNumber), null,
                "comma-separated columns", $"semicolons ('{Shorten(header[0])}'); save the file with commas between fields and '.' as the decimal point");
        if (header.All(IsNumber))
            throw new DataFormatException(source, (int)Math.Max(1, csv.LineNumber), null,
                "a header line of column names first", $"numbers ({Shorten(string.Join(",", header))}); add a header line such as x1,x2,y");
        return header;
    }

    private static bool IsNumber(string field) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>A field as echoed in a message: at most 40 characters.</summary>
    public static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    public static double ParseNumber(string field, string source, int row, string column)
    {
        if (string.IsNullOrWhiteSpace(field))
            throw new DataFormatException(source, row, column, "a number", "an empty field");
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new DataFormatException(source, row, column, "a number", $"'{Shorten(field)}'");
        if (!double.IsFinite(value))
            throw new DataFormatException(source, row, column, "a finite number", $"'{Shorten(field)}'");
        return value;
    }

    /// <summary>Shortest round-trip text of a number.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
