using Discovery.Data;
using Parquet;
using Parquet.Schema;

namespace Discovery.Tests.Data;

public sealed class TrajectoryParquetTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-parquet-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private static TrajectoryData Sample(int trajectories)
    {
        var list = Enumerable.Range(0, trajectories).Select(id =>
        {
            var times = new[] { 0.0, 0.5, 1.0 };
            var states = new double[3, 2];
            for (var k = 0; k < 3; k++)
            {
                states[k, 0] = Math.Sin(k + id) / 3;
                states[k, 1] = -k * Math.PI - id;
            }
            return new Trajectory(times, states, $"run{id}");
        }).ToList();
        return new TrajectoryData(["x", "y"], list);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Parquet_files_round_trip_exactly(int trajectories)
    {
        var data = Sample(trajectories);
        var path = PathOf("data.parquet");
        TrajectoryFiles.Write(path, data);
        Assert.Equal("PAR1", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path)[..4]));
        var back = TrajectoryFiles.Read(path);
        Assert.Equal(data.StateNames, back.StateNames);
        Assert.Equal(trajectories, back.Trajectories.Count);
        for (var i = 0; i < trajectories; i++)
        {
            Assert.Equal(data.Trajectories[i].Times, back.Trajectories[i].Times);
            Assert.Equal(data.Trajectories[i].States, back.Trajectories[i].States);
        }
        Assert.Throws<IOException>(() => TrajectoryFiles.Write(path, data));
    }

    [Fact]
    public void A_null_value_is_refused_with_its_row_and_column()
    {
        var path = PathOf("nulls.parquet");
        WriteColumns(path, [0.0, 1.0, 2.0], [1.0, null, 3.0]);
        var e = Assert.Throws<DataFormatException>(() => TrajectoryParquet.Read(path));
        Assert.Equal(2, e.Row);
        Assert.Equal("x", e.Column);
        Assert.Contains("null", e.Message);
    }

    [Fact]
    public void Time_that_goes_back_is_refused_as_in_csv()
    {
        var path = PathOf("time.parquet");
        WriteColumns(path, [0.0, 1.0, 0.5], [1.0, 2.0, 3.0]);
        var e = Assert.Throws<DataFormatException>(() => TrajectoryParquet.Read(path));
        Assert.Equal(3, e.Row);
        Assert.Equal("t", e.Column);
    }

    [Fact]
    public void A_file_that_is_not_parquet_is_refused()
    {
        var path = PathOf("fake.parquet");
        File.WriteAllText(path, "t,x\n0,1\n");
        var e = Assert.Throws<DataFormatException>(() => TrajectoryParquet.Read(path));
        Assert.Contains("Parquet", e.Message);
    }

    private static void WriteColumns(string path, double[] times, double?[] x)
    {
        var t = new DataField<double>("t", false);
        var xField = new DataField<double?>("x", true);
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(t, xField), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            group.WriteAsync<double>(t, times).GetAwaiter().GetResult();
            group.WriteAsync<double>(xField, (ReadOnlyMemory<double?>)x).GetAwaiter().GetResult();
        }
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
