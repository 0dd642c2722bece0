using Discovery.Cli;

return DiscoveryApp.Run(args, Console.Out, Console.Error);
