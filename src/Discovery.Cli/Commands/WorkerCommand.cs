using System.CommandLine;
using Discovery.Cluster;

namespace Discovery.Cli.Commands;

/// <summary><c>discovery worker [--join HOST:PORT]</c>: a cluster node that evolves islands for <c>sr --cluster</c>.</summary>
internal static class WorkerCommand
{
    public static Command Build(TextWriter output)
    {
        var join = new Option<string?>("--join") { Description = "HOST:PORT of a member to join; omit it to start a new cluster with this node as its seed." };
        var port = new Option<int?>("--port") { Description = "Port to listen on (default 4053 for a seed, any free port when joining)." };
        var bind = new Option<string>("--bind") { Description = "Address to listen on; only machines that can reach it can join.", DefaultValueFactory = _ => "127.0.0.1" };
        var threads = new Option<int>("--threads") { Description = "Islands this node evolves at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var secretFile = new Option<string?>("--secret-file") { Description = $"File holding the cluster secret (default: ${ClusterSecret.EnvironmentVariable})." };
        var command = new Command("worker",
            "Serve islands of symbolic-regression searches run with 'sr --cluster'. Runs until Ctrl+C or until removed from the cluster.")
        {
            join, port, bind, threads, secretFile,
        };
        command.SetAction(parseResult =>
        {
            var joinAddress = parseResult.GetValue(join);
            var p = parseResult.GetValue(port) ?? (joinAddress is null ? 4053 : 0);
            if (p is < 0 or > 65535) throw new CliError($"--port must be in 0..65535 (got {p})");
            try
            {
                var options = new NodeOptions(ClusterSecret.Load(parseResult.GetValue(secretFile)), parseResult.GetValue(bind)!, p,
                    joinAddress, parseResult.GetValue(threads));
                if (joinAddress is not null) ClusterNode.ParseAddress(joinAddress);
                using var worker = ClusterWorker.Start(options);
                using var stop = new CancellationTokenSource();
                ConsoleCancelEventHandler handler = (_, e) =>
                {
                    e.Cancel = true;
                    stop.Cancel();
                };
                Console.CancelKeyPress += handler;
                try
                {
                    if (!worker.Joined.Wait(TimeSpan.FromSeconds(60), stop.Token))
                        throw new CliError($"could not join the cluster through {joinAddress} within 60 s");
                    output.WriteLine($"worker ready: {worker.Address} ({options.Threads} thread(s))");
                    output.Flush();
                    Task.WaitAny([worker.Stopped], stop.Token);
                    output.WriteLine("worker removed from the cluster; stopping");
                }
                catch (OperationCanceledException)
                {
                    output.WriteLine("worker stopping");
                }
                finally
                {
                    Console.CancelKeyPress -= handler;
                }
                return ExitCodes.Success;
            }
            catch (ClusterException e)
            {
                throw new CliError(e.Message);
            }
        });
        return command;
    }
}
