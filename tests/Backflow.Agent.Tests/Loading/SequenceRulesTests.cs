using Backflow.Agent.Loading;
using Backflow.Protocol.Manifests;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Loading;

public sealed class SequenceRulesTests
{
    private static readonly FeedPosition Applied = new(EveryType.Id, Region, 10, 2, EveryType.SchemaHash, 5, "0000000000000000", default);

    [Fact]
    public void An_older_snapshot_of_the_same_generation_is_accepted_for_re_baselining() =>
        Assert.False(SequenceRules.IsAlreadyApplied(Applied, Manifest(7, ExtractKind.Snapshot, 2)));

    [Fact]
    public void Anything_of_an_older_generation_is_refused() =>
        Assert.Throws<SequenceGapException>(() => SequenceRules.IsAlreadyApplied(Applied, Manifest(11, ExtractKind.Snapshot, 1)));

    [Fact]
    public void An_older_delta_is_a_gap() =>
        Assert.Contains("expected sequence 11 but got delta 9", Assert.Throws<SequenceGapException>(() => SequenceRules.IsAlreadyApplied(Applied, Manifest(9, ExtractKind.Delta, 2))).Message, StringComparison.Ordinal);

    [Fact]
    public void The_next_delta_is_applied_and_the_same_sequence_is_a_no_op()
    {
        Assert.False(SequenceRules.IsAlreadyApplied(Applied, Manifest(11, ExtractKind.Delta, 2)));
        Assert.True(SequenceRules.IsAlreadyApplied(Applied, Manifest(10, ExtractKind.Delta, 2)));
    }

    [Fact]
    public void Only_the_next_snapshot_of_exactly_the_applied_state_is_recorded_without_a_download()
    {
        var same = new ManifestState(5, 0);

        Assert.True(SequenceRules.IsUnchangedSnapshot(Applied, Manifest(11, ExtractKind.Snapshot, 2, same)));
        Assert.False(SequenceRules.IsUnchangedSnapshot(Applied, Manifest(11, ExtractKind.Delta, 2, same)));
        Assert.False(SequenceRules.IsUnchangedSnapshot(Applied, Manifest(12, ExtractKind.Snapshot, 2, same)));
        Assert.False(SequenceRules.IsUnchangedSnapshot(Applied, Manifest(11, ExtractKind.Snapshot, 3, same)));
        Assert.False(SequenceRules.IsUnchangedSnapshot(Applied, Manifest(11, ExtractKind.Snapshot, 2, new ManifestState(6, 0))));
        Assert.False(SequenceRules.IsUnchangedSnapshot(Applied, Manifest(11, ExtractKind.Snapshot, 2, new ManifestState(5, 1))));
        Assert.False(SequenceRules.IsUnchangedSnapshot(null, Manifest(11, ExtractKind.Snapshot, 2, same)));
        Assert.False(SequenceRules.IsUnchangedSnapshot(Applied with { SchemaHash = new string('0', 64) }, Manifest(11, ExtractKind.Snapshot, 2, same)));
    }

    private static Manifest Manifest(long sequence, ExtractKind kind, int generation, ManifestState? state = null) =>
        LoadHarness.Manifest(EveryType, Region, sequence, kind, generation, [], state ?? new ManifestState(0, 0));
}
