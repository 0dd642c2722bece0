#nullable enable
// MSBuild inline task (compiled by RoslynCodeTaskFactory): marks one symbol-version need of an ELF shared library as weak.
//
// The dynamic loader refuses a library whose .gnu.version_r section names a version its dependency lacks, unless that
// need carries VER_FLG_WEAK. We set the flag on the named version only, and only when the libstdc++ this machine loads
// does not define that version. The file is rewritten through a temporary copy and a rename, so a hard link into the
// NuGet cache is never modified in place.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MarkElfVersionNeedWeak : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        var libstdcxx = FindLibStdCxx();
        if (libstdcxx != null && FileContains(libstdcxx, VersionName))
        {
            Log.LogMessage(MessageImportance.Low, $"{libstdcxx} defines {VersionName}; TorchSharp native library left as shipped.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var result = Patch(path, VersionName);
                Log.LogMessage(MessageImportance.Normal, $"{path}: {result}");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError($"Could not mark {VersionName} as weak in {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    static string? FindLibStdCxx()
    {
        // The loader's own choice is what matters; the usual multiarch and lib64 locations cover Debian, Ubuntu and Fedora.
        string[] dirs = { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                          "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" };
        return dirs.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
    }

    static bool FileContains(string path, string text)
    {
        var needle = Encoding.ASCII.GetBytes(text + "\0");
        var bytes = File.ReadAllBytes(path);
        // The factory compiles against netstandard2.0, which has no span search; a plain scan is fast enough for 2 MB.
        for (int i = 0; i + needle.Length <= bytes.Length; i++)
        {
            int k = 0;
            while (k < needle.Length && bytes[i + k] == needle[k]) k++;
            if (k == needle.Length) return true;
        }
        return false;
    }

    /// Sets VER_FLG_WEAK on every vernaux entry named `version`; returns what it did.
    static string Patch(string path, string version)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0, alreadyWeak = 0;
        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            int strtabIndex = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int entries = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
            int strtab = checked((int)BitConverter.ToUInt64(elf, checked((int)shoff + strtabIndex * shentsize) + 0x18));

            int vn = offset;
            for (int i = 0; i < entries; i++)
            {
                int count = BitConverter.ToUInt16(elf, vn + 2);
                int aux = vn + (int)BitConverter.ToUInt32(elf, vn + 8);
                for (int j = 0; j < count; j++)
                {
                    int name = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadCString(elf, name) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0) alreadyWeak++;
                        else
                        {
                            BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, aux + 4);
                            changed++;
                        }
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                vn += (int)BitConverter.ToUInt32(elf, vn + 12);
            }
        }

        if (changed == 0)
            return alreadyWeak > 0 ? $"{version} already weak" : $"no need for {version}";
        var temp = path + ".weak-tmp";
        File.WriteAllBytes(temp, elf);
        File.Delete(path); // unlink first: a hard-linked original keeps its bytes
        File.Move(temp, path);
        return $"marked {version} weak ({changed} entr{(changed == 1 ? "y" : "ies")})";
    }

    static string ReadCString(byte[] data, int start)
    {
        int end = start;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, start, end - start);
    }
}
