using System.Security.Cryptography;
using System.Text;

namespace Discovery.Cluster;

/// <summary>A cluster configuration error (missing secret, bad address, no workers): one line for the user.</summary>
public sealed class ClusterException(string message) : Exception(message);

/// <summary>
/// The shared secret of a cluster. Members prove they hold it with an HMAC-SHA256 of a fresh nonce bound to both
/// members' addresses; the secret itself never travels.
/// </summary>
public sealed class ClusterSecret
{
    /// <summary>The environment variable the secret is read from when no file is given.</summary>
    public const string EnvironmentVariable = "DISCOVERY_CLUSTER_SECRET";

    /// <summary>Fewest characters a secret may have.</summary>
    public const int MinimumLength = 16;

    private readonly byte[] key;

    private ClusterSecret(string secret) => key = SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>A secret from text (at least <see cref="MinimumLength"/> characters, surrounding white space ignored).</summary>
    /// <exception cref="ClusterException">The text is too short.</exception>
    public static ClusterSecret FromText(string secret)
    {
        var trimmed = secret.Trim();
        if (trimmed.Length < MinimumLength)
            throw new ClusterException($"the cluster secret must have at least {MinimumLength} characters (it has {trimmed.Length})");
        return new ClusterSecret(trimmed);
    }

    /// <summary>The secret from <paramref name="file"/> when given, else from <see cref="EnvironmentVariable"/>.</summary>
    /// <exception cref="ClusterException">Neither is set, the file cannot be read, or the secret is too short.</exception>
    public static ClusterSecret Load(string? file)
    {
        if (file is not null)
        {
            try
            {
                return FromText(File.ReadAllText(file));
            }
            catch (IOException e)
            {
                throw new ClusterException($"{file}: {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                throw new ClusterException($"{file}: {e.Message}");
            }
        }
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
            throw new ClusterException($"no cluster secret: set {EnvironmentVariable} or pass --secret-file FILE (the same on every node)");
        return FromText(text);
    }

    /// <summary>A fresh random nonce for a challenge.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(32);

    /// <summary>The proof that <paramref name="prover"/> holds the secret, answering <paramref name="verifier"/>'s nonce.</summary>
    public byte[] Prove(byte[] nonce, string prover, string verifier)
    {
        var context = Encoding.UTF8.GetBytes($"discovery-cluster-v1|{prover}|{verifier}|");
        byte[] message = [.. context, .. nonce];
        return HMACSHA256.HashData(key, message);
    }

    /// <summary>Whether <paramref name="proof"/> is <see cref="Prove"/> of the same arguments (constant-time comparison).</summary>
    public bool Verify(byte[] proof, byte[] nonce, string prover, string verifier) =>
        proof is { Length: 32 } && CryptographicOperations.FixedTimeEquals(proof, Prove(nonce, prover, verifier));
}
