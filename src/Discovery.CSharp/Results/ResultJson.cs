using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;

namespace Discovery.Results;

/// <summary>Reads and writes <c>result.json</c> (snake_case names, non-finite numbers as strings).</summary>
public static class ResultJson
{
    /// <summary>The serializer settings every result file uses.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Equations hold '+', '<', '&': keep them readable (the file is never embedded in HTML unescaped).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON text of a result.</summary>
    public static string Serialize(DiscoveryResult result) => JsonSerializer.Serialize(result, Options);

    /// <summary>Writes <c>DIR/result.json</c>; the folder must exist.</summary>
    public static string Write(string directory, DiscoveryResult result)
    {
        var path = Path.Combine(directory, "result.json");
        File.WriteAllText(path, Serialize(result));
        return path;
    }

    /// <summary>Reads a result file; throws <see cref="InvalidDataException"/> naming the file when it is not one.</summary>
    public static DiscoveryResult Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        try
        {
            return JsonSerializer.Deserialize<DiscoveryResult>(File.ReadAllText(path), Options)
                   ?? throw new InvalidDataException($"{path}: empty result file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a Discovery result ({e.Message})", e);
        }
    }

    /// <summary>SHA-256 of a file, lowercase hex, for <see cref="InputInfo.Sha256"/>.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
