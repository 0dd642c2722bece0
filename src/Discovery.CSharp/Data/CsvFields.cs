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

    public static double ParseNumber(string field, string source, int row, string column)
    {
        if (string.IsNullOrWhiteSpace(field))
            throw new DataFormatException(source, row, column, "a number", "an empty field");
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new DataFormatException(source, row, column, "a number", $"'{field}'");
        if (!double.IsFinite(value))
            throw new DataFormatException(source, row, column, "a finite number", $"'{field}'");
        return value;
    }

    /// <summary>Shortest round-trip text of a number.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
