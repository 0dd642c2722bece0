namespace Discovery.Cli;

/// <summary>Process exit codes shared by every command.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;
    /// <summary>A negative answer that is not an error (e.g. <c>equivalent</c> finding two different functions).</summary>
    public const int No = 1;
    /// <summary>Bad input: unknown command, bad option, unreadable data.</summary>
    public const int UsageOrInput = 2;
    /// <summary>A fault of ours; the message says so.</summary>
    public const int Internal = 70;
    /// <summary>Stopped by Ctrl+C.</summary>
    public const int Cancelled = 130;
}
