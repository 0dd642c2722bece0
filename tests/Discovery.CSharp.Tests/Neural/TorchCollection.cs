namespace Discovery.Tests.Neural;

/// <summary>Tests that train TorchSharp models run one at a time: the native thread settings and random seed are
/// process-wide, and a training on another test thread must not change them mid-step.</summary>
[CollectionDefinition(Name)]
public sealed class TorchCollection
{
    public const string Name = "TorchSharp training";
}
