using System.Runtime.InteropServices;
using TorchSharp;

namespace Discovery.Neural;

/// <summary>
/// Loads TorchSharp's native backend once and says where it came from, so a learner that fails to start can tell the user
/// why in one sentence instead of a TypeInitializationException. It is also the one place that touches TorchSharp's
/// process-wide settings.
/// </summary>
/// <remarks>
/// The neural code never relies on process-wide torch state, so trainings on different threads cannot change each other:
/// every tensor and module is created with an explicit dtype (the default dtype is never read or set), every random
/// draw comes from a <see cref="torch.Generator"/> owned by the training (<see cref="SeededInitialisation"/>; the global
/// generator and <c>manual_seed</c> are not used), and the intra-op thread count, the one setting that has no
/// per-call form, is set here under a lock (each training sets the count it was given before its first step, so a run's
/// values do not depend on what another run left behind). One hazard stays outside this code: TorchSharp 0.107 lets the
/// garbage collector finalise the implicit Scalar of an operation (<c>x * 2.5</c>, the alpha of <c>a + b</c>) while the
/// native call still reads it, so torch work must not share the process with other threads that allocate heavily; the
/// tool trains on one thread, and the tests run their torch tests alone.
/// </remarks>
public static class TorchRuntime
{
    private static readonly Lazy<string?> LoadError = new(TryInitialise);
    private static readonly Lock SettingsLock = new();

    /// <summary>True when tensors can be created in this process.</summary>
    public static bool IsAvailable => LoadError.Value is null;

    /// <summary>Initialises the backend or throws <see cref="InvalidOperationException"/> with the loader's reason.</summary>
    public static void EnsureLoaded()
    {
        if (LoadError.Value is { } error)
            throw new InvalidOperationException($"TorchSharp's native library could not be loaded: {error}");
    }

    /// <summary>
    /// Sets TorchSharp's intra-op thread count (for the calling thread where torch uses OpenMP, for the process
    /// otherwise) unless it already has that value. The only call of <c>set_num_threads</c> in the project.
    /// </summary>
    public static void UseIntraOpThreads(int threads)
    {
        if (threads < 1) throw new ArgumentException($"threads must be at least 1 (got {threads})");
        EnsureLoaded();
        lock (SettingsLock)
            if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
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
            using var probe = torch.zeros(1, dtype: torch.ScalarType.Float64);
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or NotSupportedException or TypeInitializationException or EntryPointNotFoundException)
        {
            return (e.InnerException ?? e).Message;
        }
    }
}
