using System.Runtime.InteropServices;

namespace Discovery.Cli;

/// <summary>
/// Turns the first Ctrl+C or SIGTERM into a cancellation request, so long work stops, keeps what it found and writes
/// it (marked interrupted); a second signal ends the process as usual. SIGTERM is what service managers, containers
/// and batch schedulers send before killing a job, so it gets the same treatment as Ctrl+C.
/// </summary>
internal sealed class ConsoleCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;
    private readonly PosixSignalRegistration? _terminate;
    private readonly TextWriter _log;

    private ConsoleCancellation(TextWriter log)
    {
        _log = log;
        _handler = (_, e) => e.Cancel = Request("Ctrl+C");
        Console.CancelKeyPress += _handler;
        try
        {
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = Request("SIGTERM"));
        }
        catch (PlatformNotSupportedException)
        {
            // No SIGTERM here (some Windows hosts): Ctrl+C still works.
        }
    }

    public static ConsoleCancellation Create(TextWriter log) => new(log);

    public CancellationToken Token => _source.Token;

    /// <summary>Requests cancellation on the first signal (returns true: keep running to finish and write); a later
    /// one returns false, which lets the runtime end the process.</summary>
    private bool Request(string signal)
    {
        lock (_source)
        {
            if (_source.IsCancellationRequested) return false;
            _log.WriteLine($"stopping ({signal}): finishing the current step and keeping what was found (send it again to abort)");
            _source.Cancel();
            return true;
        }
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _terminate?.Dispose();
        _source.Dispose();
    }
}
