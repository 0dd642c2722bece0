namespace Discovery.Cli;

/// <summary>
/// The rule for every single file the tool writes (checkpoints included): an empty path or a folder is bad input; an
/// input of the same run is never written over, not even with <c>--force</c>; any other existing file is replaced only
/// when the tool wrote it itself (recognised by its seal) or <c>--force</c> is given.
/// </summary>
internal static class OutputFile
{
    /// <summary>The full path to write for <paramref name="option"/>, after the checks above.</summary>
    /// <param name="option">The option's name, for messages (e.g. <c>--checkpoint</c>).</param>
    /// <param name="path">What the user gave.</param>
    /// <param name="force">Whether <c>--force</c> was given.</param>
    /// <param name="isOurs">Whether an existing file at the full path is one the tool wrote (and may replace).</param>
    /// <param name="inputs">The files this run reads (null entries are ignored).</param>
    public static string Check(string option, string path, bool force, Func<string, bool> isOurs, params string?[] inputs)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new CliError($"{option}: the path is empty");
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new CliError($"{option} {path}: is a folder, expected a file");
        foreach (var input in inputs)
            if (input is not null && SameFile(full, input))
                throw new CliError($"{option} {path}: is an input of this run; refusing to write over it");
        if (File.Exists(full) && !force && !isOurs(full))
            throw new CliError($"{option} {path}: exists and was not written by discovery; refusing to overwrite it (pass --force to replace it)");
        return full;
    }

    /// <summary>Whether two paths name the same file (after resolving symbolic links).</summary>
    public static bool SameFile(string a, string b) =>
        string.Equals(Resolved(a), Resolved(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static string Resolved(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }
}
