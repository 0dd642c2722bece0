using System.Globalization;
using Discovery.Neural.Plrnn;
using Symbolic.Search;

namespace Discovery.Tests.Cli;

/// <summary>
/// Checkpoints carry a SHA-256 of their content and are validated on load: a damaged or edited file is a one-line
/// error naming the file, never a crash and never a silently different search.
/// </summary>
public sealed class CheckpointIntegrityTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-checkpoints-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private static CheckpointMember Member(string tree, double loss, long birth) => new(tree, loss, birth, false);

    private static CheckpointIsland Island(ulong seed) =>
        new([seed, seed + 1, seed + 2, seed + 3], 3, 120, Enumerable.Repeat(1.0, 32).ToArray(),
            [Member("add v0 c1", 0.5, 0), Member("mul v0 v0", 1.0, 1), Member("c2.5", 2.0, 2)]);

    /// <summary>A small checkpoint of a search on one variable, x.</summary>
    private static CheckpointState State(double elapsed = 1.5, CheckpointIsland[]? islands = null, string fameTree = "add mul v0 v0 c1",
        ulong[]? coordinator = null, int iteration = 4) =>
        new(Checkpoint.Version, 7, iteration, elapsed, ["x"], coordinator ?? [1, 2, 3, 4], islands ?? [Island(10), Island(20)],
            [Member(fameTree, 0.0, 5)]);

    private string TableCsv()
    {
        var file = PathOf("table.csv");
        File.WriteAllLines(file, ["x,y", .. Enumerable.Range(0, 30).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{i * 0.1:R},{i * 0.01 * i + 1:R}"))]);
        return file;
    }

    [Fact]
    public void A_checkpoint_reads_back_as_written()
    {
        var path = PathOf("search.ckpt");
        Checkpoint.write(path, State());
        var read = Checkpoint.read(path);
        Assert.True(read.IsOk, read.IsError ? read.ErrorValue : "");
        Assert.Equal(1.5, read.ResultValue.ElapsedSeconds);
        Assert.Equal("add mul v0 v0 c1", read.ResultValue.HallOfFame[0].Tree);
    }

    [Fact]
    public void Every_single_bit_flip_of_a_search_checkpoint_is_refused_with_a_line_naming_the_file()
    {
        var path = PathOf("search.ckpt");
        Checkpoint.write(path, State());
        var original = File.ReadAllBytes(path);
        for (var i = 0; i < original.Length; i++)
            for (var bit = 0; bit < 8; bit++)
            {
                var damaged = (byte[])original.Clone();
                damaged[i] ^= (byte)(1 << bit);
                File.WriteAllBytes(path, damaged);
                var read = Checkpoint.read(path);
                Assert.True(read.IsError, $"a flip of bit {bit} of byte {i} was accepted");
                Assert.StartsWith(path, read.ErrorValue);
                Assert.DoesNotContain('\n', read.ErrorValue);
            }
    }

    [Fact]
    public void An_edited_variable_index_is_refused()
    {
        var path = PathOf("search.ckpt");
        Checkpoint.write(path, State());
        File.WriteAllText(path, File.ReadAllText(path).Replace("mul v0 v0", "mul v0 v1"));
        var read = Checkpoint.read(path);
        Assert.True(read.IsError);
        Assert.Contains("checksum", read.ErrorValue);
    }

    public static TheoryData<string, string> Impossible => new()
    {
        { "elapsed", "elapsed time" },
        { "islands", "no islands" },
        { "variable", "variable beyond" },
        { "coordinator", "four words" },
        { "iteration", "iteration count" },
        { "members", "has no members" },
    };

    private static CheckpointState ImpossibleState(string what) => what switch
    {
        "elapsed" => State(elapsed: -1e308),
        "islands" => new CheckpointState(Checkpoint.Version, 7, 4, 1.5, ["x"], [1, 2, 3, 4], null!, [Member("v0", 0.0, 5)]),
        "variable" => State(fameTree: "add v0 v7"),
        "coordinator" => State(coordinator: [1, 2, 3]),
        "iteration" => State(iteration: -1),
        _ => State(islands: [new CheckpointIsland([1, 2, 3, 4], 0, 0, new double[32], null!)]),
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void Sealed_but_impossible_content_is_a_one_line_error_of_sr(string what, string reason)
    {
        var path = PathOf("search.ckpt");
        Checkpoint.write(path, ImpossibleState(what));
        var (code, _, error) = CliBasicsTests.Run("sr", TableCsv(), "--iterations", "2", "--threads", "1", "--checkpoint", path);
        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(path, error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_checkpoint_of_the_unsealed_format_is_refused_clearly()
    {
        var path = PathOf("old.ckpt");
        File.WriteAllText(path, """{"FormatVersion":1,"Seed":0,"Iteration":1,"ElapsedSeconds":1,"Variables":["x"],"Coordinator":[1,2,3,4],"Islands":[],"HallOfFame":[]}""");
        var (code, _, error) = CliBasicsTests.Run("sr", TableCsv(), "--iterations", "2", "--threads", "1", "--checkpoint", path);
        Assert.Equal(2, code);
        Assert.Contains("older version", error);
    }

    private static PlrnnCheckpoint Plrnn(double seconds = 2.0) =>
        PlrnnCheckpoint.Of(new AlrnnMap([0.9, 0.8, 0.7], new double[3, 3] { { 0, 0.1, 0 }, { 0.2, 0, 0 }, { 0, 0, 0.1 } }, [0.1, 0.2, 0.3], 1, 2),
            epoch: 3, alpha: 1.0, losses: [1.0, 0.5, 0.25], seconds: seconds);

    [Fact]
    public void Every_single_bit_flip_of_a_plrnn_checkpoint_is_refused()
    {
        var path = PathOf("model.ckpt");
        Plrnn().Save(path);
        Assert.Equal(3, PlrnnCheckpoint.Load(path).Epoch);
        var original = File.ReadAllBytes(path);
        for (var i = 0; i < original.Length; i++)
        {
            var damaged = (byte[])original.Clone();
            damaged[i] ^= (byte)(1 << (i % 8));
            File.WriteAllBytes(path, damaged);
            var e = Assert.Throws<InvalidDataException>(() => PlrnnCheckpoint.Load(path));
            Assert.StartsWith(path, e.Message);
        }
    }

    [Fact]
    public void A_sealed_plrnn_checkpoint_with_an_impossible_time_is_refused()
    {
        var path = PathOf("model.ckpt");
        Plrnn(seconds: -1e308).Save(path);
        var e = Assert.Throws<InvalidDataException>(() => PlrnnCheckpoint.Load(path));
        Assert.Contains("training time", e.Message);
        Assert.False(PlrnnCheckpoint.IsCheckpoint(path));
    }
}
