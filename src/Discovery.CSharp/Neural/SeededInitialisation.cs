using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Discovery.Neural;

/// <summary>
/// Draws the starting weights of a network from a generator that the caller owns, so the same seed gives the same network
/// whatever other threads do with TorchSharp's global generator. TorchSharp's layers initialise themselves from the
/// global generator when they are built; these draws replace those values, with the same distributions.
/// </summary>
public static class SeededInitialisation
{
    /// <summary>A CPU generator seeded with <paramref name="seed"/> (dispose it after use).</summary>
    public static Generator NewGenerator(long seed) => new(unchecked((ulong)seed), CPU);

    /// <summary>
    /// Redraws every parameter of <paramref name="module"/> and its submodules, in registration order: linear layers
    /// uniform in ±1/sqrt(fan-in) (weight and bias, torch's default), embeddings standard normal, layer norms weight 1 and
    /// bias 0. Throws <see cref="NotSupportedException"/> for a module with its own parameters of another kind, so a new
    /// layer type cannot silently keep weights from the global generator.
    /// </summary>
    public static void Reset(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var part in module.modules().Prepend(module))
            switch (part)
            {
                case Linear linear:
                    var bound = 1.0 / Math.Sqrt(linear.weight!.shape[1]);
                    linear.weight.uniform_(-bound, bound, generator);
                    linear.bias?.uniform_(-bound, bound, generator);
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, 1, generator);
                    break;
                case LayerNorm norm:
                    norm.weight?.fill_(1);
                    norm.bias?.zero_();
                    break;
                default:
                    if (part.named_parameters(recurse: false).Any())
                        throw new NotSupportedException($"no seeded initialisation for {part.GetType().Name}");
                    break;
            }
    }
}
