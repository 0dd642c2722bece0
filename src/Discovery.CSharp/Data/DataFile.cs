namespace Discovery.Data;

/// <summary>Opening the user's data files with the checks every reader shares: a file (not a folder), that exists, not
/// larger than <see cref="DataLimits.MaxFileBytes"/>, read as UTF-8 (or as UTF-16/32 when a byte-order mark says so; the mark is skipped) within the limits.</summary>
public static class DataFile
{
    /// <summary>Throws <see cref="DataFormatException"/> unless <paramref name="path"/> is an existing file within the size limit.</summary>
    public static void Check(string path)
    {
        if (Directory.Exists(path)) throw new DataFormatException(path, null, null, "a data file", "a folder");
        if (!File.Exists(path)) throw new DataFormatException(path, null, null, "an existing file", "no such file");
        var length = new FileInfo(path).Length;
        if (length > DataLimits.MaxFileBytes)
            throw new DataFormatException(path, null, null, $"a file of at most {DataLimits.MaxFileBytes:N0} bytes", $"{length:N0} bytes");
    }

    /// <summary>A bounded text reader over <paramref name="path"/> (see <see cref="BoundedTextReader"/>).</summary>
    public static TextReader OpenText(string path)
    {
        Check(path);
        return new BoundedTextReader(new StreamReader(path, detectEncodingFromByteOrderMarks: true), path);
    }

    /// <summary>A bounded view of <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    public static TextReader Bound(TextReader reader, string source) =>
        reader is BoundedTextReader ? reader : new BoundedTextReader(reader, source);
}
