using Akka.Actor;
using Discovery.Cluster;

namespace Discovery.Tests.Cluster;

/// <summary>Sealed messages between two members: accepted once from the session's peer, refused otherwise.</summary>
public sealed class SessionTests
{
    private static readonly ClusterSecret Secret = ClusterSecret.FromText("correct horse battery staple");
    private static readonly Address A = new("akka.tcp", "discovery", "127.0.0.1", 4053);
    private static readonly Address B = new("akka.tcp", "discovery", "127.0.0.1", 4054);
    private static readonly Address C = new("akka.tcp", "discovery", "127.0.0.1", 4055);

    /// <summary>Both halves of the handshake between a and b, each with a fresh nonce of its issuer.</summary>
    private static void Handshake(TrustedMembers a, Address aAddress, TrustedMembers b, Address bAddress)
    {
        var fromA = ClusterSecret.NewNonce();
        var fromB = ClusterSecret.NewNonce();
        b.Answered(aAddress, fromA);
        a.Proved(new MemberTrusted(bAddress, ClusterNode.WorkerRole, 1), fromA);
        a.Answered(bAddress, fromB);
        b.Proved(new MemberTrusted(aAddress, ClusterNode.CoordinatorRole, 1), fromB);
    }

    private static (TrustedMembers Coordinator, TrustedMembers Worker) Pair()
    {
        var (a, b) = (new TrustedMembers(Secret, A), new TrustedMembers(Secret, B));
        Handshake(a, A, b, B);
        return (a, b);
    }

    [Fact]
    public void A_sealed_message_opens_once_at_its_receiver_from_its_sender()
    {
        var (a, b) = Pair();
        var envelope = a.Seal(B, new EvolveIsland("s", 3, 1, 0, "{}"))!;
        var (message, refusal) = b.Open(envelope, A);
        Assert.Null(refusal);
        Assert.Equal(new EvolveIsland("s", 3, 1, 0, "{}"), message);
        Assert.Equal("it was received before (a replay)", b.Open(envelope, A).Refusal);
    }

    [Fact]
    public void A_member_is_trusted_only_once_both_halves_of_the_handshake_are_done()
    {
        var (a, b) = (new TrustedMembers(Secret, A), new TrustedMembers(Secret, B));
        a.Proved(new MemberTrusted(B, ClusterNode.WorkerRole, 1), ClusterSecret.NewNonce());
        Assert.False(a.IsTrusted(B));
        Assert.Null(a.Seal(B, new EndSearch("s")));
        a.Answered(B, ClusterSecret.NewNonce());
        Assert.True(a.IsTrusted(B));
        Assert.NotNull(a.NewlyTrusted(B));
        Assert.Null(a.NewlyTrusted(B)); // announced once
        Assert.False(b.IsTrusted(A));
    }

    [Fact]
    public void A_forged_sender_an_altered_body_a_wrong_receiver_or_another_secret_is_refused()
    {
        var (a, b) = Pair();
        var envelope = a.Seal(B, new StartSearch("s", "{}"))!;
        Assert.Equal($"it names {A} as its sender", b.Open(envelope, C).Refusal);
        Assert.Equal("its seal is not that of the session", b.Open(envelope with { Body = "{\"SearchId\":\"t\",\"SpecJson\":\"{}\"}" }, A).Refusal);
        Assert.Equal("its seal is not that of the session", b.Open(envelope with { Counter = 2 }, A).Refusal);
        Assert.Equal("its seal is not that of the session", b.Open(envelope with { Kind = nameof(EndSearch) }, A).Refusal);

        var c = new TrustedMembers(Secret, C);
        Handshake(a, A, c, C);
        var forC = a.Seal(C, new StartSearch("s", "{}"))!;
        Assert.Equal($"it is addressed to {C}", b.Open(forC, A).Refusal);

        var impostor = new TrustedMembers(ClusterSecret.FromText("not the secret of this cluster"), A);
        var other = new TrustedMembers(Secret, B);
        Handshake(impostor, A, other, B);
        Assert.Equal("its seal is not that of the session", b.Open(impostor.Seal(B, new StartSearch("s", "{}"))!, A).Refusal);
        Assert.Equal("the sender has no session with this node", b.Open(a.Seal(C, new EndSearch("s"))! with { From = C.ToString() }, C).Refusal);
    }

    [Fact]
    public void Messages_that_overtake_one_another_are_accepted_and_a_new_session_refuses_the_old_ones()
    {
        var (a, b) = Pair();
        var first = a.Seal(B, new InterruptSearch("s"))!;
        var second = a.Seal(B, new EndSearch("s"))!;
        Assert.Null(b.Open(second, A).Refusal);
        Assert.Null(b.Open(first, A).Refusal);
        var third = a.Seal(B, new EndSearch("s"))!;
        Handshake(a, A, b, B); // the members meet again (new nonces): what was sealed before belongs to the old session
        Assert.Equal("its seal is not that of the session", b.Open(third, A).Refusal);
        Assert.Null(b.Open(a.Seal(B, new EndSearch("s"))!, A).Refusal);
    }
}
