using System.Globalization;
using System.Text;

namespace Discovery.Cli;

/// <summary>
/// An error message made safe to print on a terminal: one line, control characters (ANSI escapes, NUL and other binary
/// bytes) and invisible direction marks shown as <c>\xNN</c> / <c>\uNNNN</c>, and at most <see cref="MaxLength"/>
/// characters (its start and its end). Messages echo file contents and arguments, which may hold anything.
/// </summary>
public static class ErrorText
{
    /// <summary>Characters kept of a message: its start and its end (where the reason usually is), joined by " ... ".</summary>
    public const int MaxLength = 500;

    /// <summary>The message as one safe line.</summary>
    public static string OneLine(string message)
    {
        var lines = message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = new StringBuilder();
        foreach (var c in string.Join(' ', lines))
        {
            if (c is '\t') text.Append(' ');
            else if (char.IsControl(c)) text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            else if (IsInvisibleFormat(c)) text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else text.Append(c);
        }
        if (text.Length <= MaxLength) return text.ToString();
        // A long message usually quotes long input first and gives the reason last: keep both ends.
        const int head = MaxLength * 2 / 5;
        const int tail = MaxLength - head;
        return text.ToString(0, head) + " ... " + text.ToString(text.Length - tail, tail);
    }

    /// <summary>Direction overrides and isolates, zero-width characters and other format characters: they would make a
    /// message read differently from what it holds.</summary>
    private static bool IsInvisibleFormat(char c) => char.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
