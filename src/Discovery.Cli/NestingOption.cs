using System.CommandLine;

namespace Discovery.Cli;

/// <summary>The <c>--nesting sensible|free</c> option of the commands that run the search (<c>sr</c>, <c>bench srbench</c>).</summary>
internal static class NestingOption
{
    /// <summary>The option with its default.</summary>
    public static Option<string> Create(string defaultValue)
    {
        var option = new Option<string>("--nesting")
        {
            Description = "sensible: no periodic function inside a periodic one, no exp/log inside exp/log, no inverse trigonometric inside another; free: any nesting.",
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong("sensible", "free");
        return option;
    }

    /// <summary>Whether the parsed value asks for the sensible limits.</summary>
    public static bool IsSensible(ParseResult parseResult, Option<string> option) => parseResult.GetValue(option) == "sensible";
}
