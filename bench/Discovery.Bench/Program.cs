using BenchmarkDotNet.Running;

// Micro-benchmarks of the hot paths. Run all: dotnet run -c Release --project bench/Discovery.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
