using System.Text;
using Discovery.Data;

namespace Discovery.Tests.Cli;

/// <summary>
/// Bad data files through every command that reads data: each is exit code 2 and one line naming the file (and the row
/// and column where the problem is in one), never a stack trace, an internal error or endless reading. A byte-order
/// mark and CRLF line ends are valid.
/// </summary>
public sealed class BadDataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("discovery-bad-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliBasicsTests.Run(args);

    /// <summary>The commands that read a data file, with options that keep a valid file's run short.</summary>
    private static string[] Command(string command, string file, string dir) => command switch
    {
        "sr" => ["sr", file, "--iterations", "1"],
        "discover" => ["discover", file, "--seconds", "1", "--out", Path.Combine(dir, "out")],
        "sindy" => ["sindy", file, "--refine-seconds", "0"],
        "plrnn" => ["plrnn", file, "--epochs", "1"],
        "plrnn --test" => ["plrnn", Path.Combine(dir, "good.csv"), "--test", file, "--epochs", "1"],
        "pinn" => ["pinn", file, "--equation", "x' = h1(x)"],
        "prose predict" => ["prose", "predict", file],
        "bench sindy" => ["bench", "sindy", "--data", file, "--repeat", "1"],
        _ => throw new ArgumentException(command),
    };

    private static readonly string[] Commands = ["sr", "discover", "sindy", "plrnn", "plrnn --test", "pinn", "prose predict", "bench sindy"];

    /// <summary>Name, content (null: a special file made by the test), the row and column the message must name (or null).</summary>
    private static readonly (string Name, string? Content, int? Row, string? Column, string Says)[] Cases =
    [
        ("empty", "", null, null, "empty file"),
        ("comments only", "# nothing here\n\n", null, null, "empty file"),
        ("header only", "t,x,y\n", null, null, "data row"),
        ("ragged row", "t,x,y\n0,1,2\n1,2\n2,3,4\n", 3, null, "ragged"),
        ("text in a number", "t,x,y\n0,1,2\n1,abc,3\n2,3,4\n", 3, "x", "a number"),
        ("NaN", "t,x,y\n0,1,2\n1,NaN,3\n2,3,4\n", 3, "x", "finite"),
        ("Infinity", "t,x,y\n0,1,2\n1,2,3\n2,-Infinity,4\n", 4, "x", "finite"),
        ("semicolons", "t;x;y\n0;1;2\n1;2;3\n", 1, null, "semicolons"),
        ("no header", "0,1,2\n1,2,3\n2,3,5\n", 1, null, "header"),
        ("quote inside a field", "t,x,y\n0,1,2\n1,\"2,3\n", null, null, "quot"),
        ("long line", "t,x,y\n" + new string('1', DataLimits.MaxLineChars + 10) + "\n", 2, null, "characters"),
        ("zero bytes", null, 1, null, "NUL byte"),
        ("/dev/zero", null, 1, null, "NUL byte"),
        ("folder", null, null, null, "a folder"),
        ("missing", null, null, null, "no such file"),
    ];

    public static TheoryData<string, string> CommandsAndCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in Commands)
        foreach (var c in Cases)
            data.Add(command, c.Name);
        return data;
    }

    private string Make(string name, string? content)
    {
        var path = Path.Combine(_dir, name.Replace(' ', '-').Replace('/', '-') + ".csv");
        switch (name)
        {
            case "zero bytes":
                File.WriteAllBytes(path, new byte[4 << 20]);
                return path;
            case "/dev/zero":
                return "/dev/zero";
            case "folder":
                Directory.CreateDirectory(path);
                return path;
            case "missing":
                return path;
            default:
                File.WriteAllText(path, content);
                return path;
        }
    }

    [Theory]
    [MemberData(nameof(CommandsAndCases))]
    public void A_bad_data_file_is_one_line_naming_the_file_and_exit_code_2(string command, string name)
    {
        if (name == "/dev/zero" && !File.Exists("/dev/zero")) return; // only where the device exists
        var (_, content, row, column, says) = Cases.Single(c => c.Name == name);
        File.WriteAllText(Path.Combine(_dir, "good.csv"), "t,x\n0,1\n1,2\n2,4\n3,8\n");
        var file = Make(name, content);

        var (code, _, error) = Run(Command(command, file, _dir));

        Assert.Equal(2, code);
        var line = Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("discovery: ", line);
        Assert.Contains(file, line);
        Assert.Contains(says, line);
        if (row is { } r) Assert.Contains($"row {r}", line);
        if (column is { } col) Assert.Contains($"column '{col}'", line);
        Assert.DoesNotContain("internal error", line);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")), "the output folder is made only after the data is read");
    }

    private string ValidWithBomAndCrlf(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.Replace("\n", "\r\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);
        return path;
    }

    private static string Decay()
    {
        var text = new StringBuilder("t,x\n");
        for (var k = 0; k < 40; k++) text.Append(FormattableString.Invariant($"{k * 0.1},{Math.Exp(-0.5 * k * 0.1)}\n"));
        return text.ToString();
    }

    [Fact]
    public void A_byte_order_mark_and_crlf_line_ends_are_read_as_plain_csv()
    {
        var table = TableCsv.Read(ValidWithBomAndCrlf("table.csv", "x,y\n1,2\n2,4\n3,6\n"));
        Assert.Equal(["x", "y"], table.Names);
        Assert.Equal([2.0, 4, 6], table.Column("y"));
        var trajectories = TrajectoryCsv.Read(ValidWithBomAndCrlf("decay.csv", Decay()));
        Assert.Equal("t", trajectories.TimeName);
        Assert.Equal(["x"], trajectories.StateNames);
        Assert.Equal(40, trajectories.TotalSamples);
    }

    [Fact]
    public void Sr_and_sindy_run_on_a_file_with_a_byte_order_mark_and_crlf_line_ends()
    {
        var (code, output, error) = Run("sr", ValidWithBomAndCrlf("table.csv", "x,y\n1,2\n2,4\n3,6\n4,8\n"), "--iterations", "3", "--seed", "1");
        Assert.True(code == 0, error);
        Assert.Contains("chosen: y = ", output);
        (code, output, error) = Run("sindy", ValidWithBomAndCrlf("decay.csv", Decay()), "--refine-seconds", "0");
        Assert.True(code == 0, error);
        Assert.StartsWith("x' = -0.5*x", output);
    }

    [Fact]
    public void A_target_whose_squares_overflow_is_an_error_instead_of_an_empty_front()
    {
        var path = Path.Combine(_dir, "huge.csv");
        File.WriteAllText(path, "x,y\n1,1e300\n2,2e300\n3,3e300\n4,1e300\n");
        var (code, output, error) = Run("sr", path, "--iterations", "1");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("column 'y'", error);
        Assert.Contains("divide the column by 1e300", error);
    }

    [Theory]
    [InlineData("t,x\n0,1\n1,2\n# a note\n1,3\n2,4\n", 5, "1")]
    [InlineData("t,x\n0,1\n1,2\n0.5,3\n2,4\n", 4, "0.5")]
    public void Pinn_refuses_time_that_does_not_increase_naming_the_row_as_the_other_commands_do(string text, int row, string found)
    {
        var path = Path.Combine(_dir, "time.csv");
        File.WriteAllText(path, text);
        var (code, _, error) = Run("pinn", path, "--equation", "x' = h1(x)");
        Assert.Equal(2, code);
        Assert.Contains($"time.csv, row {row}, column 't': expected time to increase", error);
        Assert.EndsWith($"found {found}", error.TrimEnd());
        // The same file through a trajectory reader names the same row.
        Assert.Equal(row, Assert.Throws<DataFormatException>(() => TrajectoryCsv.Read(path)).Row);
    }
}
