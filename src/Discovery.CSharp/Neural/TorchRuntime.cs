using System.Runtime.InteropServices;
using TorchSharp;

namespace Discovery.Neural;

/// <summary>
/// Loads TorchSharp's native backend once and says where it came from, so a learner that fails to start can tell the user
/// why in one sentence instead of a TypeInitializationException.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<string?> LoadError = new(TryInitialise);

    /// <summary>True when tensors can be created in this process.</summary>
    public static bool IsAvailable => LoadError.Value is null;

    /// <summary>Initialises the backend or throws <see cref="InvalidOperationException"/> with the loader's reason.</summary>
    public static void EnsureLoaded()
    {
        if (LoadError.Value is { } error)
            throw new InvalidOperationException($"TorchSharp's native library could not be loaded: {error}");
    }

    /// <summary>
    /// The file path of the native TorchSharp library mapped into this process (Linux only; null elsewhere or before loading).
    /// Used to prove that the patched copy in the build output is the one in use.
    /// </summary>
    public static string? LoadedNativeLibraryPath()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || !File.Exists("/proc/self/maps")) return null;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/');
            if (slash >= 0 && line.EndsWith("libLibTorchSharp.so", StringComparison.Ordinal))
                return line[slash..];
        }
        return null;
    }

    private static string? TryInitialise()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            using var probe = torch.zeros(1);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or TypeInitializationException or EntryPointNotFoundException)
        {
            return (e.InnerException ?? e).Message;
        }
    }
}
