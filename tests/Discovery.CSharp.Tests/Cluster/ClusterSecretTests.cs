using Discovery.Cluster;

namespace Discovery.Tests.Cluster;

/// <summary>The shared secret: proofs verify only under the same secret, nonce and pair of addresses.</summary>
public sealed class ClusterSecretTests
{
    private const string A = "akka.tcp://discovery@127.0.0.1:4053";
    private const string B = "akka.tcp://discovery@127.0.0.1:4054";

    [Fact]
    public void A_proof_verifies_under_the_same_secret_nonce_and_addresses()
    {
        var secret = ClusterSecret.FromText("correct horse battery staple");
        var nonce = ClusterSecret.NewNonce();
        Assert.True(secret.Verify(secret.Prove(nonce, A, B), nonce, A, B));
    }

    [Fact]
    public void A_proof_fails_under_another_secret_another_nonce_or_other_addresses()
    {
        var secret = ClusterSecret.FromText("correct horse battery staple");
        var other = ClusterSecret.FromText("correct horse battery stapler");
        var nonce = ClusterSecret.NewNonce();
        var proof = secret.Prove(nonce, A, B);
        Assert.False(other.Verify(proof, nonce, A, B));
        Assert.False(secret.Verify(proof, ClusterSecret.NewNonce(), A, B));
        Assert.False(secret.Verify(proof, nonce, B, A)); // a proof cannot be reflected back to its verifier
        Assert.False(secret.Verify(proof[..16], nonce, A, B));
    }

    [Fact]
    public void A_proof_covers_the_role_and_threads_the_prover_claims()
    {
        var secret = ClusterSecret.FromText("correct horse battery staple");
        var nonce = ClusterSecret.NewNonce();
        var proof = secret.Prove(nonce, A, B, "role=worker|threads=4");
        Assert.True(secret.Verify(proof, nonce, A, B, "role=worker|threads=4"));
        Assert.False(secret.Verify(proof, nonce, A, B, "role=coordinator|threads=4"));
        Assert.False(secret.Verify(proof, nonce, A, B, "role=worker|threads=400"));
    }

    [Fact]
    public void Session_keys_differ_by_nonce_and_direction_and_come_from_the_secret()
    {
        var secret = ClusterSecret.FromText("correct horse battery staple");
        var nonce = ClusterSecret.NewNonce();
        var key = secret.SessionKey(nonce, A, B);
        Assert.Equal(32, key.Length);
        Assert.Equal(key, ClusterSecret.FromText("correct horse battery staple").SessionKey(nonce, A, B));
        Assert.NotEqual(key, secret.SessionKey(ClusterSecret.NewNonce(), A, B));
        Assert.NotEqual(key, secret.SessionKey(nonce, B, A));
        Assert.NotEqual(key, ClusterSecret.FromText("correct horse battery stapler").SessionKey(nonce, A, B));
    }

    [Fact]
    public void A_short_or_missing_secret_is_refused_with_a_message()
    {
        var short_ = Assert.Throws<ClusterException>(() => ClusterSecret.FromText("short"));
        Assert.Contains("at least 16", short_.Message);
        var missingFile = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        var missing = Assert.Throws<ClusterException>(() => ClusterSecret.Load(missingFile));
        Assert.StartsWith(missingFile, missing.Message);
    }

    [Fact]
    public void The_secret_is_read_from_a_file_without_its_surrounding_white_space()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "  a secret of the file kind \n");
            var fromFile = ClusterSecret.Load(path);
            var nonce = ClusterSecret.NewNonce();
            Assert.True(ClusterSecret.FromText("a secret of the file kind").Verify(fromFile.Prove(nonce, A, B), nonce, A, B));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_host_port_parses_to_a_cluster_address_and_nonsense_is_refused()
    {
        Assert.Equal(A, ClusterNode.ParseAddress("127.0.0.1:4053").ToString());
        Assert.Throws<ClusterException>(() => ClusterNode.ParseAddress("127.0.0.1"));
        Assert.Throws<ClusterException>(() => ClusterNode.ParseAddress("host:99999"));
    }
}
