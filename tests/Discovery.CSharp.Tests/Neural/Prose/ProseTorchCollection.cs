namespace Discovery.Tests.Neural.Prose;

/// <summary>
/// PROSE tests that train or run networks share TorchSharp's process-wide state (the random generator, the thread count)
/// with other neural tests; they run in this collection, after the parallel tests and one at a time, so neither side's
/// seeded results depend on the other's timing.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProseTorchCollection
{
    public const string Name = "PROSE (TorchSharp, not parallel)";
}
