namespace Discovery.Tests.Neural;

/// <summary>
/// Every test that runs TorchSharp in this process belongs here: the collection runs after the parallel tests, one test
/// at a time. The neural code itself keeps no process-wide torch state (explicit dtypes, seeded generators), but
/// TorchSharp 0.107 leaves the implicit <c>Scalar</c> of an operation (the 2.5 of <c>x * 2.5</c>, the alpha of
/// <c>a + b</c>, Adam's betas) unreachable while the native call still reads it: a garbage collection started by any
/// other allocating thread can finalise it mid-call, and the call then fails ("Unknown scalar type") or reads a freed
/// value. A training alone in the process, as in the command-line tool, never meets another allocating thread.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "TorchSharp (not parallel)";
}
