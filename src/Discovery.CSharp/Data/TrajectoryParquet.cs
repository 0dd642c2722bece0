using Parquet;
using Parquet.Schema;

namespace Discovery.Data;

/// <summary>
/// Reads and writes trajectory data as Apache Parquet (Parquet.Net): the same table as the CSV form (a time column,
/// one column per state, a "trajectory" column when there are several) with typed columns. Reading accepts double,
/// float, integer and decimal state columns and string or integer trajectory ids, and applies the same checks as CSV
/// (finite values, increasing time, no nulls); errors name the file, the row (1-based, counted over the whole file)
/// and the column.
/// </summary>
public static class TrajectoryParquet
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="DataFormatException"/> for bad content.</summary>
    public static TrajectoryData Read(string path, CsvReadOptions? options = null)
    {
        DataFile.Check(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path, options);
    }

    /// <summary>Reads Parquet from <paramref name="stream"/>; <paramref name="source"/> names it in error messages.</summary>
    public static TrajectoryData Read(Stream stream, string source, CsvReadOptions? options = null) =>
        ReadAsync(stream, source, options ?? CsvReadOptions.Default).GetAwaiter().GetResult();

    /// <summary>Writes <paramref name="data"/>; refuses to replace an existing file unless <paramref name="overwrite"/> (IOException).</summary>
    public static void Write(string path, TrajectoryData data, bool overwrite = false)
    {
        using var stream = new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
        Write(stream, data);
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="stream"/> as one row group.</summary>
    public static void Write(Stream stream, TrajectoryData data) => WriteAsync(stream, data).GetAwaiter().GetResult();

    private static async Task WriteAsync(Stream stream, TrajectoryData data)
    {
        var withId = data.Trajectories.Count > 1;
        var timeField = new DataField<double>(data.TimeName, false);
        var stateFields = data.StateNames.Select(n => new DataField<double>(n, false)).ToArray();
        var idField = new DataField<string>("trajectory", false);
        var fields = new List<Field> { timeField };
        fields.AddRange(stateFields);
        if (withId) fields.Add(idField);

        var rows = data.TotalSamples;
        var times = new double[rows];
        var states = stateFields.Select(_ => new double[rows]).ToArray();
        var ids = new string[rows];
        var row = 0;
        foreach (var trajectory in data.Trajectories)
        {
            for (var k = 0; k < trajectory.Length; k++, row++)
            {
                times[row] = trajectory.Times[k];
                for (var j = 0; j < states.Length; j++) states[j][row] = trajectory.States[k, j];
                ids[row] = trajectory.Id;
            }
        }

        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<double>(timeField, times);
        for (var j = 0; j < states.Length; j++) await group.WriteAsync<double>(stateFields[j], states[j]);
        if (withId) await group.WriteAsync(idField, ids);
    }

    private static async Task<TrajectoryData> ReadAsync(Stream stream, string source, CsvReadOptions options)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream);
        }
        catch (Exception e) when (e is ParquetException or IOException or InvalidDataException)
        {
            throw new DataFormatException(source, null, null, "a Parquet file", $"unreadable content ({e.Message})");
        }
        await using (reader)
        {
            var dataFields = reader.Schema.GetDataFields();
            var header = dataFields.Select(f => f.Name).ToArray();
            if (header.Length == 0) throw new DataFormatException(source, null, null, "columns", "an empty schema");
            var layout = Layout.FromHeader(header, options, source, null);
            var builder = new TrajectoryBuilder(source, header[layout.TimeIndex], layout.StateNames, layout.TrajectoryIndex is not null);
            var firstRow = 1;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                DataLimits.CheckRows(source, firstRow, firstRow - 1 + group.RowCount, header.Length);
                var count = (int)group.RowCount;
                var time = await ReadNumbers(group, dataFields[layout.TimeIndex], count, source, firstRow);
                var states = new double[layout.StateIndices.Length][];
                for (var j = 0; j < states.Length; j++)
                    states[j] = await ReadNumbers(group, dataFields[layout.StateIndices[j]], count, source, firstRow);
                var ids = layout.TrajectoryIndex is { } ti ? await ReadIds(group, dataFields[ti], count, source, firstRow) : null;
                var values = new double[states.Length];
                for (var k = 0; k < count; k++)
                {
                    for (var j = 0; j < states.Length; j++) values[j] = states[j][k];
                    builder.Add(firstRow + k, ids?[k] ?? "0", time[k], values);
                }
                firstRow += count;
            }
            return builder.Build(options.AllowConstantColumns);
        }
    }

    private static async Task<double[]> ReadNumbers(ParquetRowGroupReader group, DataField field, int count, string source, int firstRow)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(double)) return await ReadAs<double>(group, field, count, source, firstRow, v => v);
        if (type == typeof(float)) return await ReadAs<float>(group, field, count, source, firstRow, v => v);
        if (type == typeof(int)) return await ReadAs<int>(group, field, count, source, firstRow, v => v);
        if (type == typeof(long)) return await ReadAs<long>(group, field, count, source, firstRow, v => v);
        if (type == typeof(short)) return await ReadAs<short>(group, field, count, source, firstRow, v => v);
        if (type == typeof(decimal)) return await ReadAs<decimal>(group, field, count, source, firstRow, v => (double)v);
        throw new DataFormatException(source, null, field.Name, "a numeric column", $"a column of {type.Name}");
    }

    private static async Task<double[]> ReadAs<T>(ParquetRowGroupReader group, DataField field, int count, string source, int firstRow,
        Func<T, double> convert) where T : struct
    {
        var result = new double[count];
        if (field.IsNullable)
        {
            var buffer = new T?[count];
            await group.ReadAsync<T>(field, buffer.AsMemory());
            for (var k = 0; k < count; k++)
                result[k] = buffer[k] is { } v ? convert(v) : throw new DataFormatException(source, firstRow + k, field.Name, "a number", "a null");
        }
        else
        {
            var buffer = new T[count];
            await group.ReadAsync<T>(field, buffer.AsMemory());
            for (var k = 0; k < count; k++) result[k] = convert(buffer[k]);
        }
        return result;
    }

    private static async Task<string[]> ReadIds(ParquetRowGroupReader group, DataField field, int count, string source, int firstRow)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var buffer = new string?[count];
            await group.ReadAsync(field, buffer.AsMemory());
            var ids = new string[count];
            for (var k = 0; k < count; k++)
                ids[k] = string.IsNullOrWhiteSpace(buffer[k])
                    ? throw new DataFormatException(source, firstRow + k, field.Name, "a trajectory id", "an empty value")
                    : buffer[k]!;
            return ids;
        }
        var numbers = await ReadNumbers(group, field, count, source, firstRow);
        return numbers.Select(v => CsvFields.Format(v)).ToArray();
    }
}
