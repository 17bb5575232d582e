using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Support;
using Backflow.Agent.Verification;
using Backflow.Protocol.Manifests;

namespace Backflow.Agent.Tests.Sync;

/// <summary>Every kind of bad input is refused with its own reason, quarantined with a note, and nothing is applied.</summary>
public sealed class TamperingTests
{
    [Fact]
    public async Task One_flipped_byte_in_an_extract_is_a_hash_mismatch()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1);
        var file = extract.File.ToArray();
        file[file.Length / 2] ^= 0x01;
        extract.File = file;

        await AssertRejectedAsync(agent, RejectionReason.HashMismatch, quarantinedFile: true);
    }

    [Fact]
    public async Task A_truncated_extract_is_a_size_mismatch()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1);
        extract.File = extract.File[..^100];

        await AssertRejectedAsync(agent, RejectionReason.SizeMismatch, quarantinedFile: true);
    }

    [Fact]
    public async Task A_manifest_signed_by_an_unknown_key_is_refused_before_downloading()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1);
        using var stranger = SigningKey.Generate();
        extract.Envelope = ExtractFactory.Sign(stranger, "330106", 1, extract.File, 3);

        await AssertRejectedAsync(agent, RejectionReason.UnknownKey, quarantinedFile: false);
        Assert.Empty(agent.Server.ExtractRequests);
    }

    [Fact]
    public async Task A_replayed_older_sequence_is_refused()
    {
        await using var agent = await AgentFixture.StartAsync();
        var first = await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        await agent.Server.PublishAsync("330106", 2);
        agent.Server.ChangesOverride["330106"] = [first.Envelope];

        await AssertRejectedAsync(agent, RejectionReason.SequenceReplayed, quarantinedFile: false, alreadyApplied: 1);
    }

    [Fact]
    public async Task A_manifest_for_another_region_is_refused()
    {
        await using var agent = await AgentFixture.StartAsync("330106,330108");
        await agent.Server.PublishAsync("330106", 1);
        var other = await ExtractFactory.WriteAsync("330108", 1, 3);
        agent.Server.ChangesOverride["330106"] = [ExtractFactory.Sign(agent.Server.Key, "330108", 1, other, 3)];

        await AssertRejectedAsync(agent, RejectionReason.RegionMismatch, quarantinedFile: false);
        Assert.Empty(agent.Server.ExtractRequests);
    }

    [Fact]
    public async Task A_skipped_sequence_is_refused()
    {
        await using var agent = await AgentFixture.StartAsync();
        await agent.Server.PublishAsync("330106", 1);
        var third = await agent.Server.PublishAsync("330106", 3);
        agent.Server.ChangesOverride["330106"] = [third.Envelope];

        await AssertRejectedAsync(agent, RejectionReason.SequenceSkipped, quarantinedFile: false);
    }

    [Fact]
    public async Task An_extract_whose_metadata_names_another_sequence_is_refused()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1);
        var file = await ExtractFactory.WriteAsync("330106", 1, 3, headerSequence: 7);
        extract.File = file;
        extract.Envelope = ExtractFactory.Sign(agent.Server.Key, "330106", 1, file, 3);

        await AssertRejectedAsync(agent, RejectionReason.ExtractMetadataMismatch, quarantinedFile: true);
    }

    [Fact]
    public async Task A_manifest_naming_a_schema_the_catalog_does_not_have_is_refused()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1);
        extract.Envelope = ExtractFactory.Sign(agent.Server.Key, "330106", 1, extract.File, 3, schemaHash: new string('a', 64));

        await AssertRejectedAsync(agent, RejectionReason.SchemaMismatch, quarantinedFile: false);
        Assert.Empty(agent.Server.ExtractRequests);
    }

    [Fact]
    public async Task A_feed_outside_the_pinned_scope_is_never_downloaded()
    {
        await using var agent = await AgentFixture.StartAsync();
        await agent.Server.PublishAsync("330108", 1);

        await AssertRejectedAsync(agent, RejectionReason.RegionOutOfScope, quarantinedFile: null);
        Assert.Empty(agent.Server.ExtractRequests);
    }

    private static async Task AssertRejectedAsync(AgentFixture agent, RejectionReason reason, bool? quarantinedFile, long alreadyApplied = 0)
    {
        var report = await agent.SyncAsync();

        Assert.False(report.AllCurrent);
        var feed = agent.Only(report);
        Assert.Equal(FeedOutcome.Failed, feed.Outcome);
        Assert.StartsWith($"{reason}:", feed.Error, StringComparison.Ordinal);
        Assert.Equal(alreadyApplied, feed.ToSequence);
        Assert.Equal(alreadyApplied, agent.Target.Applied.Count);

        var health = await agent.Target.GetHealthAsync(feed.Dataset, feed.Region, CancellationToken.None);
        Assert.Equal(1, health!.ConsecutiveFailures);
        Assert.Contains(reason.ToString(), health.LastError, StringComparison.Ordinal);
        if (quarantinedFile is null)
        {
            return;
        }

        var note = Assert.Single(agent.QuarantineNotes());
        Assert.Contains($"reason: {reason}", note, StringComparison.Ordinal);
        var kept = Directory.GetFiles(agent.Quarantine).Where(f => !f.EndsWith(".reason.txt", StringComparison.Ordinal)).ToList();
        Assert.Equal(quarantinedFile.Value, kept.Any(f => f.EndsWith(".parquet", StringComparison.Ordinal)));
        Assert.Contains(agent.Server.Runs, r => r.GetProperty("outcome").GetString() == "failed");
    }
}
