using CsvHelper;

namespace Discovery.Data;

/// <summary>A table of named numeric columns, as read from a CSV file.</summary>
public sealed class Table
{
    /// <summary>A table; <paramref name="rowNumbers"/> are the file's line numbers of the data rows (null: 2, 3, ...).</summary>
    public Table(string source, IReadOnlyList<string> names, IReadOnlyList<double[]> columns, IReadOnlyList<int>? rowNumbers = null)
    {
        if (names.Count != columns.Count) throw new ArgumentException("one name per column");
        if (columns.Select(c => c.Length).Distinct().Count() > 1) throw new ArgumentException("columns of different lengths");
        if (rowNumbers is not null && columns.Count > 0 && rowNumbers.Count != columns[0].Length)
            throw new ArgumentException("one row number per row");
        Source = source;
        Names = names;
        Columns = columns;
        RowNumbers = rowNumbers ?? Enumerable.Range(2, columns.Count == 0 ? 0 : columns[0].Length).ToArray();
    }

    /// <summary>Where the table came from (file path), for messages.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Names { get; }
    public IReadOnlyList<double[]> Columns { get; }
    public int Rows => Columns.Count == 0 ? 0 : Columns[0].Length;

    /// <summary>The line number in the file of each data row (the header being row 1), for messages.</summary>
    public IReadOnlyList<int> RowNumbers { get; }

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
        using var reader = DataFile.OpenText(path);
        return Read(reader, path, minimumRows, delimiter);
    }

    public static Table Read(TextReader reader, string source, int minimumRows = 1, char delimiter = ',')
    {
        try
        {
            using var csv = CsvReader.Create(DataFile.Bound(reader, source), CsvFields.ReaderOptions(delimiter), leaveOpen: true);
            var header = CsvFields.Header(csv, source);
            for (var i = 0; i < header.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(header[i]))
                    throw new DataFormatException(source, 1, $"#{i + 1}", "a column name", "an empty header field");
                if (Array.IndexOf(header, header[i]) != i)
                    throw new DataFormatException(source, 1, header[i], "unique column names", "a repeated name");
            }
            var columns = header.Select(_ => new List<double>()).ToArray();
            var rowNumbers = new List<int>();
            while (csv.Read())
            {
                var row = (int)csv.LineNumber;
                DataLimits.CheckRows(source, row, rowNumbers.Count + 1L, header.Length);
                rowNumbers.Add(row);
                if (csv.FieldCount != header.Length)
                    throw new DataFormatException(source, row, null, $"{header.Length} fields as in the header", $"{csv.FieldCount} (a ragged row)");
                for (var i = 0; i < header.Length; i++)
                    columns[i].Add(CsvFields.ParseNumber(csv.GetString(i) ?? "", source, row, header[i]));
            }
            if (columns[0].Count < minimumRows)
                throw new DataFormatException(source, null, null, $"at least {minimumRows} data rows", $"{columns[0].Count}");
            return new Table(source, header, columns.Select(c => c.ToArray()).ToArray(), rowNumbers);
        }
        catch (CsvFormatException e)
        {
            throw new DataFormatException(source, e.LineNumber > 0 ? (int)e.LineNumber : null, null,
                "well-formed CSV (quotes only around whole fields)", "malformed quoting");
        }
    }
}
