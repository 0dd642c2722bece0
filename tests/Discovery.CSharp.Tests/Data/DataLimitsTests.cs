using Discovery.Data;

namespace Discovery.Tests.Data;

/// <summary>The readers stop at files that are not text, will not end, or pass a size limit, with a one-line error.</summary>
public class DataLimitsTests
{
    private static DataFormatException TableFails(string text) =>
        Assert.Throws<DataFormatException>(() => TableCsv.Read(new StringReader(text), "data.csv"));

    private static DataFormatException TrajectoryFails(string text) =>
        Assert.Throws<DataFormatException>(() => TrajectoryCsv.Read(new StringReader(text), "data.csv"));

    [Fact]
    public void Nul_bytes_are_binary_data_named_with_their_row()
    {
        var table = TableFails("x,y\n1,2\n3\0,4\n");
        Assert.Equal(3, table.Row);
        Assert.Contains("NUL byte", table.Message);
        Assert.Equal(1, TrajectoryFails(new string('\0', 100_000)).Row);
    }

    [Fact]
    public void A_line_longer_than_the_limit_stops_the_reading_at_that_line()
    {
        var error = TableFails("x,y\n" + new string('1', DataLimits.MaxLineChars + 1));
        Assert.Equal(2, error.Row);
        Assert.Contains($"{DataLimits.MaxLineChars:N0}", error.Message);
    }

    [Fact]
    public void A_header_wider_than_the_column_limit_is_refused()
    {
        var header = string.Join(",", Enumerable.Range(0, DataLimits.MaxColumns + 1).Select(i => $"c{i}"));
        var error = TableFails(header + "\n");
        Assert.Contains($"at most {DataLimits.MaxColumns:N0} columns", error.Message);
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_refused_before_reading()
    {
        var path = Path.Combine(Path.GetTempPath(), $"discovery-big-{Guid.NewGuid():N}.csv");
        try
        {
            using (var stream = File.Create(path)) stream.SetLength(DataLimits.MaxFileBytes + 1); // sparse: no disk used
            var error = Assert.Throws<DataFormatException>(() => TableCsv.Read(path));
            Assert.Contains($"{DataLimits.MaxFileBytes + 1:N0} bytes", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_folder_is_not_a_data_file()
    {
        var error = Assert.Throws<DataFormatException>(() => TrajectoryCsv.Read(Path.GetTempPath()));
        Assert.Equal("a folder", error.Found);
    }

    [Theory]
    [InlineData("1,2,3\n4,5,6\n", 1)]
    [InlineData("# comment\n\n1.5,-2e3\n4,5\n", 3)]
    public void A_header_of_numbers_means_a_missing_header(string text, int row)
    {
        var error = TableFails(text);
        Assert.Equal(row, error.Row);
        Assert.Contains("header", error.Message);
        Assert.Equal(row, TrajectoryFails(text).Row);
    }

    [Fact]
    public void A_header_with_one_name_among_numbers_is_a_header()
    {
        var table = TableCsv.Read(new StringReader("x,2\n1,2\n3,4\n"), "data.csv");
        Assert.Equal(["x", "2"], table.Names);
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_name()
    {
        var table = TableCsv.Read(new StringReader("\uFEFFx,y\n1,2\n3,4\n"), "data.csv");
        Assert.Equal(["x", "y"], table.Names);
    }

    [Fact]
    public void Table_rows_remember_their_line_numbers()
    {
        var table = TableCsv.Read(new StringReader("x,y\n1,2\n# note\n\n3,4\n"), "data.csv");
        Assert.Equal([2, 5], table.RowNumbers);
    }

    [Fact]
    public void Long_fields_are_shortened_in_messages()
    {
        var error = TableFails("x,y\n1," + new string('z', 5000) + "\n");
        Assert.True(error.Message.Length < 200, error.Message);
    }
}
