using System.Text;

namespace Discovery.Tests.Docs;

/// <summary>A command line shown in a document: where it is and the arguments it gives the tool.</summary>
internal sealed record DocumentedCommand(string File, int Line, string Text, IReadOnlyList<string> Arguments)
{
    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>
/// Finds the command lines the documents show: lines inside fenced code blocks that start with <c>discovery </c> or
/// <c>dotnet run --project src/Discovery.Cli -- </c> (after an optional <c>$ </c> prompt), split into arguments as a
/// POSIX shell would for the simple forms the documents use (single and double quotes, a trailing <c># comment</c>).
/// </summary>
internal static class DocumentedCommands
{
    private static readonly string[] Prefixes = ["discovery ", "dotnet run --project src/Discovery.Cli -- "];

    /// <summary>Every documented command line of the Markdown file at <paramref name="path"/>.</summary>
    public static IEnumerable<DocumentedCommand> In(string path, string displayName)
    {
        var inCode = false;
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }
            if (!inCode) continue;
            if (line.StartsWith("$ ", StringComparison.Ordinal)) line = line[2..].TrimStart();
            var prefix = Prefixes.FirstOrDefault(p => line.StartsWith(p, StringComparison.Ordinal));
            if (prefix is null) continue;
            yield return new DocumentedCommand(displayName, number, line, Split(line[prefix.Length..]));
        }
    }

    /// <summary>Shell-like word splitting: quotes group and are removed, an unquoted <c>#</c> after a space ends the line.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else word.Append(c);
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            if (c == '#' && !inWord) break;
            word.Append(c);
            inWord = true;
        }
        if (quote is not null) throw new FormatException($"unclosed {quote} quote in: {text}");
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
