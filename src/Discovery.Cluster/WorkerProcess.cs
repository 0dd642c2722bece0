using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Discovery.Cluster;

/// <summary>
/// A <c>discovery worker</c> child process on loopback (for tests and benchmarks). The secret goes through the
/// environment, not the command line. Disposing kills the process if it still runs.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource<string> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    /// <summary>The port the worker listens on.</summary>
    public int Port { get; }

    /// <summary>HOST:PORT of this worker, for <c>--join</c> and <c>--cluster</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts <c>discovery worker</c> from <paramref name="cli"/> (discovery.dll, run with dotnet, or the discovery
    /// executable), listening on <paramref name="port"/> and joining <paramref name="join"/> (null: a new cluster).
    /// </summary>
    public static WorkerProcess Start(string cli, int port, string? join, int threads, string secret)
    {
        var dll = cli.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(dll ? "dotnet" : cli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (dll) info.ArgumentList.Add(cli);
        foreach (var a in new[] { "worker", "--bind", "127.0.0.1", "--port", port.ToString(), "--threads", threads.ToString() })
            info.ArgumentList.Add(a);
        if (join is not null)
        {
            info.ArgumentList.Add("--join");
            info.ArgumentList.Add(join);
        }
        info.Environment[ClusterSecret.EnvironmentVariable] = secret;
        var process = Process.Start(info) ?? throw new ClusterException($"cannot start {cli}");
        var worker = new WorkerProcess(process, port);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("worker ready", StringComparison.Ordinal)) worker.ready.TrySetResult(line);
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => worker.ready.TrySetException(new ClusterException($"worker on port {port} exited with code {process.ExitCode}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits until the worker is a member of the cluster.</summary>
    /// <exception cref="ClusterException">It exited or did not join in time.</exception>
    public void WaitReady(TimeSpan timeout)
    {
        try
        {
            if (!ready.Task.Wait(timeout)) throw new ClusterException($"worker on port {Port} not ready after {timeout.TotalSeconds:0} s");
        }
        catch (AggregateException e) when (e.InnerException is ClusterException inner)
        {
            throw inner;
        }
    }

    /// <summary>Kills the process at once (as a crash would).</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>A TCP port that was free a moment ago on loopback.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Kills the process if it still runs.</summary>
    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
