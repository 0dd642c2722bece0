using CsvHelper;

namespace Discovery.Data;

/// <summary>A table of named numeric columns, as read from a CSV file.</summary>
public sealed class Table
{
    public Table(string source, IReadOnlyList<string> names, IReadOnlyList<double[]> columns)
    {
        if (names.Count != columns.Count) throw new ArgumentException("one name per column");
        if (columns.Select(c => c.Length).Distinct().Count() > 1) throw new ArgumentException("columns of different lengths");
        Source = source;
        Names = names;
        Columns = columns;
    }

    /// <summary>Where the table came from (file path), for messages.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Names { get; }
    public IReadOnlyList<double[]> Columns { get; }
    public int Rows => Columns.Count == 0 ? 0 : Columns[0].Length;

    /// <summary>The column of that name; throws <see cref="DataFormatException"/> listing the columns that exist.</summary>
    public double[] Column(string name)
    {
        for (var i = 0; i < Names.Count; i++)
            if (Names[i] == name) return Columns[i];
        throw new DataFormatException(Source, null, name, "a column of that name", $"columns {string.Join(", ", Names)}");
    }
}

/// <summary>
/// Reads tables (a header and numeric columns) for symbolic regression: every field a finite number, every row as wide
/// as the header, at least <c>minimumRows</c> rows; anything else is a <see cref="DataFormatException"/> naming file,
/// row and column. Blank lines and '#' comments are the only lines not read.
/// </summary>
public static class TableCsv
{
    public static Table Read(string path, int minimumRows = 1, char delimiter = ',')
    {
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "an existing file", "no such file");
        using var reader = new StreamReader(path);
        return Read(reader, path, minimumRows, delimiter);
    }

    public static Table Read(TextReader reader, string source, int minimumRows = 1, char delimiter = ',')
    {
        try
        {
            using var csv = CsvReader.Create(reader, CsvFields.ReaderOptions(delimiter), leaveOpen: true);
            var header = csv.Headers.ToArray();
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                throw new DataFormatException(source, null, null, "a header line with column names", "an empty file");
            for (var i = 0; i < header.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(header[i]))
                    throw new DataFormatException(source, 1, $"#{i + 1}", "a column name", "an empty header field");
                if (Array.IndexOf(header, header[i]) != i)
                    throw new DataFormatException(source, 1, header[i], "unique column names", "a repeated name");
            }
            var columns = header.Select(_ => new List<double>()).ToArray();
            while (csv.Read())
            {
                var row = (int)csv.LineNumber;
                if (csv.FieldCount != header.Length)
                    throw new DataFormatException(source, row, null, $"{header.Length} fields as in the header", $"{csv.FieldCount} (a ragged row)");
                for (var i = 0; i < header.Length; i++)
                    columns[i].Add(CsvFields.ParseNumber(csv.GetString(i) ?? "", source, row, header[i]));
            }
            if (columns[0].Count < minimumRows)
                throw new DataFormatException(source, null, null, $"at least {minimumRows} data rows", $"{columns[0].Count}");
            return new Table(source, header, columns.Select(c => c.ToArray()).ToArray());
        }
        catch (CsvFormatException e)
        {
            throw new DataFormatException(source, e.LineNumber > 0 ? (int)e.LineNumber : null, null,
                "well-formed CSV (quotes only around whole fields)", "malformed quoting");
        }
    }
}
