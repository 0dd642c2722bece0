using System.Globalization;
using Discovery.Data;
using Discovery.Tests.Neural;

namespace Discovery.Tests.Cli;

/// <summary>
/// One rule for every file the tool writes, checkpoints included: never over a file it did not write unless --force,
/// never over an input of the run, temporary files with unique names that are gone afterwards, and an empty path is a
/// one-line error (exit 2) for every command.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class OutputSafetyTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("discovery-outputs-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private string TableCsv()
    {
        var file = PathOf("table.csv");
        if (!File.Exists(file))
            File.WriteAllLines(file, ["x,y", .. Enumerable.Range(0, 40).Select(i =>
                string.Create(CultureInfo.InvariantCulture, $"{i * 0.1 - 2:R},{Math.Pow(i * 0.1 - 2, 2) + 1:R}"))]);
        return file;
    }

    private string CircleCsv()
    {
        var file = PathOf("circle.csv");
        if (!File.Exists(file))
            TrajectoryCsv.Write(file, new TrajectoryData(["u", "v"],
                new Trajectory(Enumerable.Range(0, 300).Select(k => k * 0.05).ToArray(), PlrnnTests.Circle(300, dt: 0.05))));
        return file;
    }

    private static void AssertOneLineError((int Code, string Out, string Err) run, string contains)
    {
        Assert.True(run.Code == 2, $"exit {run.Code}: {run.Err}");
        Assert.Single(run.Err.Trim().Split('\n'));
        Assert.Contains(contains, run.Err);
    }

    private static readonly string[] TinyPlrnn = ["--latent", "4", "--epochs", "1", "--batches", "2", "--sequence", "20", "--generate", "50", "--no-distil"];

    [Fact]
    public void Plrnn_refuses_to_write_a_checkpoint_over_a_file_it_did_not_write()
    {
        var notes = PathOf("notes.txt");
        File.WriteAllText(notes, "my notes");
        AssertOneLineError(CliBasicsTests.Run(["plrnn", CircleCsv(), .. TinyPlrnn, "--checkpoint", notes]), "--force");
        Assert.Equal("my notes", File.ReadAllText(notes));
    }

    [Fact]
    public void Plrnn_never_writes_a_checkpoint_over_its_input_not_even_with_force()
    {
        var data = CircleCsv();
        var before = File.ReadAllBytes(data);
        AssertOneLineError(CliBasicsTests.Run(["plrnn", data, .. TinyPlrnn, "--checkpoint", data, "--force"]), "input");
        Assert.Equal(before, File.ReadAllBytes(data));
    }

    [Fact]
    public void Plrnn_replaces_its_own_checkpoint_and_with_force_another_file()
    {
        var checkpoint = PathOf("model.ckpt");
        var first = CliBasicsTests.Run(["plrnn", CircleCsv(), .. TinyPlrnn, "--checkpoint", checkpoint]);
        Assert.True(first.Code == 0, first.Err);
        var second = CliBasicsTests.Run(["plrnn", CircleCsv(), .. TinyPlrnn, "--checkpoint", checkpoint]);
        Assert.True(second.Code == 0, second.Err);
        Assert.True(Discovery.Neural.Plrnn.PlrnnCheckpoint.IsCheckpoint(checkpoint));

        var notes = PathOf("notes.txt");
        File.WriteAllText(notes, "my notes");
        var forced = CliBasicsTests.Run(["plrnn", CircleCsv(), .. TinyPlrnn, "--checkpoint", notes, "--force"]);
        Assert.True(forced.Code == 0, forced.Err);
        Assert.True(Discovery.Neural.Plrnn.PlrnnCheckpoint.IsCheckpoint(notes));
        Assert.Equal(["circle.csv", "model.ckpt", "notes.txt"], Directory.GetFiles(_directory.FullName).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Sr_leaves_a_users_tmp_file_alone_and_no_temporary_file_behind()
    {
        var checkpoint = PathOf("search.ckpt");
        File.WriteAllText(checkpoint + ".tmp", "mine");
        var run = CliBasicsTests.Run("sr", TableCsv(), "--iterations", "2", "--threads", "1", "--checkpoint", checkpoint);
        Assert.True(run.Code == 0, run.Err);
        Assert.Equal("mine", File.ReadAllText(checkpoint + ".tmp"));
        Assert.True(Symbolic.Search.Checkpoint.read(checkpoint).IsOk);
        Assert.Equal(["search.ckpt", "search.ckpt.tmp", "table.csv"], Directory.GetFiles(_directory.FullName).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Sr_refuses_a_folder_as_checkpoint_and_leaves_nothing_beside_it()
    {
        var folder = PathOf("folder");
        Directory.CreateDirectory(folder);
        AssertOneLineError(CliBasicsTests.Run("sr", TableCsv(), "--iterations", "2", "--threads", "1", "--checkpoint", folder), "folder");
        Assert.Equal(["table.csv"], Directory.GetFiles(_directory.FullName).Select(Path.GetFileName));
    }

    [Fact]
    public void Sr_refuses_a_checkpoint_path_holding_another_file_unless_forced_and_never_its_data()
    {
        var notes = PathOf("notes.txt");
        File.WriteAllText(notes, "my notes");
        AssertOneLineError(CliBasicsTests.Run("sr", TableCsv(), "--iterations", "2", "--threads", "1", "--checkpoint", notes), "--force");
        Assert.Equal("my notes", File.ReadAllText(notes));

        var forced = CliBasicsTests.Run("sr", TableCsv(), "--iterations", "2", "--threads", "1", "--checkpoint", notes, "--force");
        Assert.True(forced.Code == 0, forced.Err);
        Assert.True(Symbolic.Search.Checkpoint.read(notes).IsOk);

        var before = File.ReadAllBytes(TableCsv());
        AssertOneLineError(CliBasicsTests.Run("sr", TableCsv(), "--iterations", "2", "--threads", "1", "--checkpoint", TableCsv(), "--force"), "input");
        Assert.Equal(before, File.ReadAllBytes(TableCsv()));
    }

    [Fact]
    public void Prose_train_refuses_a_folder_of_other_files_as_its_model_folder()
    {
        var folder = PathOf("mine");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "training.csv"), "my,own\n1,2\n");
        AssertOneLineError(CliBasicsTests.Run("prose", "train", "--size", "tiny", "--steps", "1", "--out", folder), "--force");
        Assert.Equal(["training.csv"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal("my,own\n1,2\n", File.ReadAllText(Path.Combine(folder, "training.csv")));
    }

    [Fact]
    public void An_atomic_write_that_fails_removes_its_temporary_file()
    {
        var folder = PathOf("taken");
        Directory.CreateDirectory(folder);
        Assert.ThrowsAny<IOException>(() => Symbolic.Search.SealedFile.writeAtomically(folder, "{}"));
        Assert.Empty(Directory.GetFiles(_directory.FullName));
    }

    [Theory]
    [InlineData("simulate", "--output")]
    [InlineData("discover", "--out")]
    [InlineData("sr", "--out")]
    [InlineData("sindy", "--out")]
    [InlineData("plrnn", "--out")]
    [InlineData("pinn", "--out")]
    [InlineData("prose-sample", "--out")]
    public void An_empty_output_path_is_a_one_line_error(string command, string option)
    {
        string[] args = command switch
        {
            "simulate" => ["simulate", "lorenz", "--t-end", "0.1", "-o", ""],
            "discover" => ["discover", TableCsv(), "--seconds", "1", "--out", ""],
            "sr" => ["sr", TableCsv(), "--iterations", "1", "--out", ""],
            "sindy" => ["sindy", CircleCsv(), "--out", ""],
            "plrnn" => ["plrnn", CircleCsv(), .. TinyPlrnn, "--out", ""],
            "pinn" => ["pinn", CircleCsv(), "--time", "t", "--equation", "u' = v + h1(u)", "--equation", "v' = -u", "--epochs", "1", "--out", ""],
            _ => ["prose", "sample", "lorenz", "--out", ""],
        };
        AssertOneLineError(CliBasicsTests.Run(args), option);
    }
}
