namespace Discovery.Data;

/// <summary>
/// A text reader that stops a data file at the first sign that it is not text or will not end: a NUL character
/// (binary data, or <c>/dev/zero</c>), a line longer than <see cref="DataLimits.MaxLineChars"/>, or more than
/// <see cref="DataLimits.MaxFileBytes"/> characters in all. Each is a <see cref="DataFormatException"/> naming the
/// source and the row, thrown while streaming, so nothing is read past the limit.
/// </summary>
internal sealed class BoundedTextReader(TextReader inner, string source, long maxChars = DataLimits.MaxFileBytes,
    int maxLineChars = DataLimits.MaxLineChars) : TextReader
{
    private long _total;
    private int _line = 1;
    private int _lineLength;

    public override int Peek() => inner.Peek();

    public override int Read()
    {
        var c = inner.Read();
        if (c >= 0) Check((char)c);
        return c;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var n = inner.Read(buffer);
        foreach (var c in buffer[..n]) Check(c);
        return n;
    }

    public override int ReadBlock(Span<char> buffer)
    {
        var n = inner.ReadBlock(buffer);
        foreach (var c in buffer[..n]) Check(c);
        return n;
    }

    public override int ReadBlock(char[] buffer, int index, int count) => ReadBlock(buffer.AsSpan(index, count));

    public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(char[] buffer, int index, int count) => Task.FromResult(Read(buffer, index, count));

    private void Check(char c)
    {
        if (c == '\0')
            throw new DataFormatException(source, _line, null, "a text (CSV) file", "a NUL byte (binary data)");
        if (++_total > maxChars)
            throw new DataFormatException(source, _line, null, $"a file of at most {maxChars:N0} characters", "more");
        if (c == '\n')
        {
            _line++;
            _lineLength = 0;
        }
        else if (++_lineLength > maxLineChars)
            throw new DataFormatException(source, _line, null, $"lines of at most {maxLineChars:N0} characters", "a longer line");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
