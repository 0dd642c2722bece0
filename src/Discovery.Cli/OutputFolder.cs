namespace Discovery.Cli;

/// <summary>Output folders: created when missing, never overwritten without <c>--force</c>.</summary>
internal static class OutputFolder
{
    /// <summary>The full path of <paramref name="path"/>, created if needed; null when no folder was asked for. Refuses a
    /// folder that already holds files unless <paramref name="force"/>.</summary>
    public static string? Prepare(string? path, bool force)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) throw new CliError($"--out {path}: is a file, expected a folder");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !force)
            throw new CliError($"--out {path}: the folder is not empty; use --force to overwrite what is there");
        Directory.CreateDirectory(full);
        return full;
    }
}
