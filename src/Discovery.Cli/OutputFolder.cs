namespace Discovery.Cli;

/// <summary>Output folders: created when missing, never overwritten without <c>--force</c>.</summary>
internal static class OutputFolder
{
    /// <summary>The full path of <paramref name="path"/>, created if needed; null when no folder was asked for. Refuses a
    /// folder that already holds files unless <paramref name="force"/>. An empty path is bad input, not "no folder".</summary>
    public static string? Prepare(string? path, bool force)
    {
        if (path is null) return null;
        if (string.IsNullOrWhiteSpace(path)) throw new CliError("--out: the path is empty");
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) throw new CliError($"--out {path}: is a file, expected a folder");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !force)
            throw new CliError($"--out {path}: the folder is not empty; use --force to overwrite what is there");
        Directory.CreateDirectory(full);
        return full;
    }

    /// <summary>Writes <c>result.json</c>, the reports and figures of a run into <paramref name="folder"/> and says
    /// where; a folder that cannot be written is a one-line error.</summary>
    public static void WriteRun(TextWriter output, string folder, Discovery.Results.DiscoveryResult result)
    {
        try
        {
            var files = Discovery.Reports.ReportWriter.WriteRun(folder, result);
            output.WriteLine($"wrote {Path.Combine(folder, "result.json")}");
            output.WriteLine($"report: {files.Html}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"cannot write to {folder}: {e.Message}");
        }
    }
}
