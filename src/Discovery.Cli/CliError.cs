namespace Discovery.Cli;

/// <summary>
/// A problem with what the user gave us (a file, a row, an option). The CLI prints its message as one line and exits 2;
/// it never shows a stack trace for one of these.
/// </summary>
public sealed class CliError(string message) : Exception(message);
