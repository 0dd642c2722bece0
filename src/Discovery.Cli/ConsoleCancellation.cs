namespace Discovery.Cli;

/// <summary>Turns the first Ctrl+C into a cancellation request, so long work stops and keeps what it found; a second
/// Ctrl+C ends the process as usual.</summary>
internal sealed class ConsoleCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;

    private ConsoleCancellation(TextWriter log)
    {
        _handler = (_, e) =>
        {
            if (_source.IsCancellationRequested) return;
            e.Cancel = true;
            log.WriteLine("stopping: finishing the current step and keeping what was found (Ctrl+C again to abort)");
            _source.Cancel();
        };
        Console.CancelKeyPress += _handler;
    }

    public static ConsoleCancellation Create(TextWriter log) => new(log);

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _source.Dispose();
    }
}
