using Discovery.Data;

namespace Discovery.Tests.Data;

public class TrajectoryCsvTests
{
    private static TrajectoryData ReadText(string text, CsvReadOptions? options = null) =>
        TrajectoryCsv.Read(new StringReader(text), "data.csv", options);

    private static DataFormatException Fails(string text, CsvReadOptions? options = null) =>
        Assert.Throws<DataFormatException>(() => ReadText(text, options));

    private static TrajectoryData Sample(int trajectories = 1)
    {
        var list = new List<Trajectory>();
        for (var id = 0; id < trajectories; id++)
        {
            var times = new[] { 0.0, 0.1, 0.2 };
            var states = new double[3, 2];
            for (var k = 0; k < 3; k++)
            {
                states[k, 0] = -8 + k + id + 0.1;
                states[k, 1] = 1.0 / 3 + k * Math.PI + id;
            }
            list.Add(new Trajectory(times, states, id.ToString()));
        }
        return new TrajectoryData(["x", "y"], list);
    }

    [Fact]
    public void A_written_file_reads_back_exactly()
    {
        var data = Sample();
        var text = new StringWriter();
        TrajectoryCsv.Write(text, data);
        Assert.StartsWith("t,x,y\n", text.ToString());
        var back = ReadText(text.ToString());
        Assert.Equal(data.StateNames, back.StateNames);
        Assert.Equal(data.Trajectories[0].Times, back.Trajectories[0].Times);
        Assert.Equal(data.Trajectories[0].States, back.Trajectories[0].States);
    }

    [Fact]
    public void Several_trajectories_get_a_trajectory_column_and_read_back_as_several()
    {
        var data = Sample(3);
        var text = new StringWriter();
        TrajectoryCsv.Write(text, data);
        Assert.StartsWith("t,x,y,trajectory\n", text.ToString());
        var back = ReadText(text.ToString());
        Assert.Equal(3, back.Trajectories.Count);
        Assert.Equal(["0", "1", "2"], back.Trajectories.Select(t => t.Id));
        Assert.Equal(data.Trajectories[2].States, back.Trajectories[2].States);
    }

    [Fact]
    public void Time_column_can_be_named_and_state_columns_chosen()
    {
        var data = ReadText("seconds,a,b,c\n0,1,2,3\n1,2,3,5\n", new CsvReadOptions(TimeColumn: "seconds", StateColumns: ["c", "a"]));
        Assert.Equal("seconds", data.TimeName);
        Assert.Equal(["c", "a"], data.StateNames);
        Assert.Equal(5, data.Trajectories[0].States[1, 0]);
        Assert.Equal("time", ReadText("time,x\n0,1\n1,2\n").TimeName);
    }

    [Fact]
    public void Comments_blank_lines_and_spaces_are_allowed_and_rows_keep_their_line_numbers()
    {
        var e = Fails("# measured 2024\nt, x\n\n0, 1\n1, 2\n2, oops\n");
        Assert.Equal(6, e.Row);
        Assert.Equal("x", e.Column);
    }

    [Fact]
    public void Text_in_a_numeric_column_names_file_row_column_and_what_was_expected()
    {
        var e = Fails("t,x,y\n0,1,2\n0.1,abc,3\n");
        Assert.Equal("data.csv", e.File);
        Assert.Equal(3, e.Row);
        Assert.Equal("x", e.Column);
        Assert.Equal("data.csv, row 3, column 'x': expected a number, found 'abc'", e.Message);
    }

    [Fact]
    public void A_ragged_row_is_refused()
    {
        var e = Fails("t,x,y\n0,1,2\n0.1,3\n");
        Assert.Equal(3, e.Row);
        Assert.Contains("3 fields", e.Message);
        Assert.Contains("ragged", e.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void NaN_and_infinity_are_refused(string value)
    {
        var e = Fails($"t,x\n0,1\n1,{value}\n");
        Assert.Equal(3, e.Row);
        Assert.Equal("x", e.Column);
        Assert.Contains("finite number", e.Message);
    }

    [Fact]
    public void An_empty_field_is_refused()
    {
        var e = Fails("t,x,y\n0,,2\n");
        Assert.Equal(2, e.Row);
        Assert.Equal("x", e.Column);
        Assert.Contains("empty field", e.Message);
    }

    [Theory]
    [InlineData("t,x\n0,1\n1,2\n1,3\n", 4)]
    [InlineData("t,x\n0,1\n1,2\n0.5,3\n", 4)]
    public void Time_that_does_not_increase_is_refused_with_both_rows_named(string text, int row)
    {
        var e = Fails(text);
        Assert.Equal(row, e.Row);
        Assert.Equal("t", e.Column);
        Assert.Contains("row 3", e.Message);
    }

    [Fact]
    public void Time_may_restart_in_a_new_trajectory_but_not_within_one()
    {
        var data = ReadText("t,x,trajectory\n0,1,a\n1,2,a\n0,5,b\n1,6,b\n");
        Assert.Equal(2, data.Trajectories.Count);
        var e = Fails("t,x,trajectory\n0,1,a\n1,2,a\n0,5,b\n0.5,6,a\n");
        Assert.Equal(5, e.Row);
        Assert.Contains("within trajectory 'a'", e.Message);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("t,x\n", "at least one data row")]
    [InlineData("x,y\n1,2\n", "time column")]
    [InlineData("t\n1\n2\n", "at least one state column")]
    [InlineData("t,x,x\n1,2,3\n", "distinct column names")]
    public void Files_without_usable_content_say_what_is_missing(string text, string expected)
    {
        Assert.Contains(expected, Fails(text).Message);
    }

    [Fact]
    public void A_constant_state_column_is_refused_unless_allowed()
    {
        const string text = "t,x,y\n0,1,7\n1,2,7\n2,3,7\n";
        var e = Fails(text);
        Assert.Equal("y", e.Column);
        Assert.Contains("constant", e.Message);
        Assert.Equal(2, ReadText(text, new CsvReadOptions(AllowConstantColumns: true)).Dimension);
    }

    [Fact]
    public void Malformed_quoting_is_refused()
    {
        var e = Fails("t,x\n0,1\n1,\"2\n2,3\n");
        Assert.Contains("well-formed CSV", e.Message);
    }

    [Fact]
    public void Several_files_become_several_trajectories_with_columns_matched_by_name()
    {
        var directory = Directory.CreateTempSubdirectory("discovery-csv-");
        try
        {
            var first = Path.Combine(directory.FullName, "run1.csv");
            var second = Path.Combine(directory.FullName, "run2.csv");
            File.WriteAllText(first, "t,x,y\n0,1,2\n1,2,3\n");
            File.WriteAllText(second, "t,y,x\n0,20,10\n1,30,11\n");
            var data = TrajectoryCsv.ReadMany([first, second]);
            Assert.Equal(["run1", "run2"], data.Trajectories.Select(t => t.Id));
            Assert.Equal(10, data.Trajectories[1].States[0, 0]);
            Assert.Equal(20, data.Trajectories[1].States[0, 1]);

            var third = Path.Combine(directory.FullName, "run3.csv");
            File.WriteAllText(third, "t,x,z\n0,1,2\n1,2,3\n");
            var e = Assert.Throws<DataFormatException>(() => TrajectoryCsv.ReadMany([first, third]));
            Assert.Equal(third, e.File);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Writing_refuses_to_replace_a_file_unless_asked()
    {
        var path = Path.Combine(Path.GetTempPath(), $"discovery-{Guid.NewGuid():N}.csv");
        try
        {
            TrajectoryCsv.Write(path, Sample());
            Assert.Throws<IOException>(() => TrajectoryCsv.Write(path, Sample()));
            TrajectoryCsv.Write(path, Sample(2), overwrite: true);
            Assert.Equal(2, TrajectoryCsv.Read(path).Trajectories.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
