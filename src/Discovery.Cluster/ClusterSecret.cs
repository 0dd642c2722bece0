using System.Security.Cryptography;
using System.Text;

namespace Discovery.Cluster;

/// <summary>A cluster configuration error (missing secret, bad address, no workers): one line for the user.</summary>
public sealed class ClusterException(string message) : Exception(message);

/// <summary>
/// The shared secret of a cluster and the keys derived from it. Members prove they hold it with an HMAC-SHA256 of a
/// fresh nonce bound to both members' addresses and to what the prover says of itself; the secret itself never travels.
/// </summary>
/// <remarks>
/// Keys. The secret is usually typed by a person, so it is stretched once with PBKDF2-HMAC-SHA256
/// (<see cref="Iterations"/> iterations, a fixed project salt: every node must derive the same key without talking) into
/// a master key; a guess at the secret then costs as much as those iterations. HKDF-SHA256 expands the master key into
/// separate keys per purpose: one for handshake proofs, and one per session and direction whose salt is the nonce the
/// receiving node issued in that handshake (<see cref="SessionKey"/>), so each connection gets fresh keys and a message
/// recorded in an earlier session verifies in no later one.
/// </remarks>
public sealed class ClusterSecret
{
    /// <summary>The environment variable the secret is read from when no file is given.</summary>
    public const string EnvironmentVariable = "DISCOVERY_CLUSTER_SECRET";

    /// <summary>Fewest characters a secret may have.</summary>
    public const int MinimumLength = 16;

    /// <summary>PBKDF2 iterations that stretch the secret (OWASP's 2023 figure for HMAC-SHA256).</summary>
    public const int Iterations = 600_000;

    // Public and fixed by design: its job is to make precomputed tables for other programs useless, not to be secret.
    private static readonly byte[] Salt = Encoding.UTF8.GetBytes("discovery-cluster-v2 secret stretching");

    private readonly byte[] master;
    private readonly byte[] proofKey;

    private ClusterSecret(string secret)
    {
        master = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), Salt, Iterations, HashAlgorithmName.SHA256, 32);
        proofKey = HKDF.Expand(HashAlgorithmName.SHA256, master, 32, Encoding.UTF8.GetBytes("discovery-cluster-v2 handshake proof"));
    }
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

    /// <summary>
    /// The proof that <paramref name="prover"/> holds the secret, answering <paramref name="verifier"/>'s nonce; it also
    /// covers what the prover says of itself (<paramref name="claims"/>: its role and threads), so they cannot be altered.
    /// </summary>
    public byte[] Prove(byte[] nonce, string prover, string verifier, string claims = "")
    {
        var context = Encoding.UTF8.GetBytes($"discovery-cluster-v2|{Length(prover)}|{Length(verifier)}|{Length(claims)}|");
        byte[] message = [.. context, .. nonce];
        return HMACSHA256.HashData(proofKey, message);
    }

    /// <summary>Whether <paramref name="proof"/> is <see cref="Prove"/> of the same arguments (constant-time comparison).</summary>
    public bool Verify(byte[] proof, byte[] nonce, string prover, string verifier, string claims = "") =>
        proof is { Length: 32 } && CryptographicOperations.FixedTimeEquals(proof, Prove(nonce, prover, verifier, claims));

    /// <summary>
    /// The key that authenticates messages from <paramref name="sender"/> to <paramref name="receiver"/> in the session
    /// opened by the nonce <paramref name="receiverNonce"/> that the receiver issued to the sender.
    /// </summary>
    public byte[] SessionKey(byte[] receiverNonce, string sender, string receiver) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, receiverNonce,
            Encoding.UTF8.GetBytes($"discovery-cluster-v2 session|{Length(sender)}|{Length(receiver)}"));

    // Each field prefixed by its length, so that no two different field lists give the same text.
    private static string Length(string field) => $"{field.Length}:{field}";
}
