using Backflow.Protocol.Manifests;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Loading;

/// <summary>Behaviour every load target must share, run by the SQLite and the PostgreSQL test classes alike.</summary>
internal static class LoadTargetContract
{
    /// <summary>Only the snapshot at the next sequence with exactly the applied state is recorded without a download.</summary>
    public static async Task RecordsOnlyAnUnchangedNextSnapshotAsync(LoadHarness h)
    {
        var applied = await h.ApplyAsync(1, [Upsert(Row(1)), Upsert(Row(2))]);
        var checksum = Backflow.Protocol.Rows.RegionChecksum.Parse(applied.RowCount, applied.Checksum);
        var same = Manifest(EveryType, Region, 2, ExtractKind.Snapshot, 1, [], new ManifestState(checksum.RowCount, checksum.Sum));
        var other = Manifest(EveryType, Region, 3, ExtractKind.Snapshot, 1, [], new ManifestState(checksum.RowCount, checksum.Sum + 1));

        Assert.True(await h.Target.RecordUnchangedSnapshotAsync(same, CancellationToken.None));
        Assert.False(await h.Target.RecordUnchangedSnapshotAsync(other, CancellationToken.None));
        Assert.False(await h.Target.RecordUnchangedSnapshotAsync(same, CancellationToken.None));

        var position = await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None);
        Assert.Equal((2L, 1, 2L, applied.Checksum), (position!.Sequence, position.Generation, position.RowCount, position.Checksum));
        Assert.Equal(3L, (await h.ApplyAsync(3, [Upsert(Row(3))])).Sequence);
    }
}
