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

    private static Manifest Manifest(long sequence, ExtractKind kind, int generation) =>
        LoadHarness.Manifest(EveryType, Region, sequence, kind, generation, [], new ManifestState(0, 0));
}
