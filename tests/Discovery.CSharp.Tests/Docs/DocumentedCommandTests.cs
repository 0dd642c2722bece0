using System.CommandLine;
using System.Text.RegularExpressions;
using Discovery.Cli;
using Discovery.Tests.Samples;

namespace Discovery.Tests.Docs;

/// <summary>
/// The documents cannot drift from the tool: every command line shown in README.md and docs/*.md parses with the
/// tool's own command-line configuration, the README's table lists every command, and CI runs the README's test command.
/// </summary>
public class DocumentedCommandTests
{
    private static readonly string Root = SampleTests.RepositoryRoot();

    /// <summary>README.md and every page of docs/, as paths relative to the repository.</summary>
    private static IEnumerable<string> DocumentNames() =>
        Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal)
            .Select(file => Path.GetRelativePath(Root, file).Replace('\\', '/'))
            .Prepend("README.md");

    public static TheoryData<string> Documents() => new(DocumentNames());

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_command_line_a_document_shows_parses_as_a_known_command(string document)
    {
        var root = DiscoveryApp.BuildRoot(TextWriter.Null);
        var failures = new List<string>();
        foreach (var command in DocumentedCommands.In(Path.Combine(Root, document), document))
        {
            var parsed = root.Parse(command.Arguments.ToArray());
            if (parsed.Errors.Count > 0)
                failures.Add($"{command}\n    {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
            else if (parsed.CommandResult.Command == root)
                failures.Add($"{command}\n    names no command");
        }
        Assert.True(failures.Count == 0, "documented command lines the tool rejects:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void The_readme_and_the_manual_show_command_lines_for_the_main_commands()
    {
        var shown = DocumentNames()
            .SelectMany(d => DocumentedCommands.In(Path.Combine(Root, d), d))
            .Select(c => c.Arguments[0])
            .ToHashSet();
        foreach (var name in new[] { "discover", "sr", "sindy", "pinn", "plrnn", "prose", "bench", "simulate", "export" })
            Assert.Contains(name, shown);
    }

    [Fact]
    public void The_readme_command_table_lists_every_command_and_subcommand()
    {
        var listed = ReadmeCommandTable();
        var root = DiscoveryApp.BuildRoot(TextWriter.Null);
        foreach (var command in root.Subcommands)
        {
            Assert.True(listed.ContainsKey(command.Name), $"README's command table does not list 'discovery {command.Name}'");
            foreach (var sub in command.Subcommands)
                Assert.True(listed[command.Name].Contains(sub.Name),
                    $"README's command table does not list 'discovery {command.Name} {sub.Name}'");
        }
    }

    [Fact]
    public void Ci_runs_the_test_command_the_readme_gives()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var quickStart = Regex.Match(readme, @"## Quick start.*?```sh\n(?<block>.*?)```", RegexOptions.Singleline).Groups["block"].Value;
        var testCommand = quickStart.Split('\n').Select(l => l.Split('#')[0].Trim()).Single(l => l.StartsWith("dotnet test", StringComparison.Ordinal));
        var ci = File.ReadAllLines(Path.Combine(Root, ".ci", "run")).Select(l => l.Trim());
        Assert.Contains(testCommand, ci);
    }

    [Fact]
    public void Command_lines_split_as_a_shell_splits_them()
    {
        Assert.Equal(["sr", "data.csv", "--operators", "+,-,*,/", "--label", "not used for tuning"],
            DocumentedCommands.Split("sr data.csv --operators \"+,-,*,/\" --label 'not used for tuning'   # a comment"));
        Assert.Equal(["simplify", "x#1"], DocumentedCommands.Split("simplify x#1"));
        Assert.Throws<FormatException>(() => DocumentedCommands.Split("simplify \"x + 1"));
    }

    /// <summary>
    /// The README's table of commands: for each command named in the first cell (<c>discovery latex\|mathml ...</c>
    /// names several), the words that follow it (its subcommands, for <c>bench</c> and <c>prose</c>).
    /// </summary>
    private static Dictionary<string, HashSet<string>> ReadmeCommandTable()
    {
        var listed = new Dictionary<string, HashSet<string>>();
        var inTable = false;
        foreach (var line in File.ReadLines(Path.Combine(Root, "README.md")))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal)) inTable = line.Trim() == "## Commands";
            if (!inTable || !line.StartsWith("| `discovery ", StringComparison.Ordinal)) continue;
            var firstCell = Regex.Matches(line.Split(" | ")[0], @"`discovery (?<words>[^`]*)`");
            foreach (Match cell in firstCell)
            {
                var words = cell.Groups["words"].Value.Replace(@"\|", "|").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0 || words[0].StartsWith('-')) continue;
                var following = words.Length > 1 ? words[1].Split('|') : [];
                foreach (var name in words[0].Split('|'))
                {
                    if (!listed.TryGetValue(name, out var set)) listed[name] = set = [];
                    set.UnionWith(following);
                }
            }
        }
        return listed;
    }
}
