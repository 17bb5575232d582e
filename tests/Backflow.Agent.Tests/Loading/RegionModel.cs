using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Rows;

namespace Backflow.Agent.Tests.Loading;

/// <summary>
/// The server's view of one region in the tests: the live rows by key, and the checksum recomputed from scratch,
/// which is the oracle the target's incrementally maintained checksum must equal.
/// </summary>
internal sealed class RegionModel(DatasetDefinition dataset)
{
    private readonly Dictionary<string, object?[]> _rows = new(StringComparer.Ordinal);

    public IReadOnlyCollection<object?[]> Rows => _rows.Values;

    public void Apply(IEnumerable<ExtractRow> rows, bool snapshot = false)
    {
        if (snapshot)
        {
            _rows.Clear();
        }

        var encoder = new CanonicalEncoder();
        foreach (var row in rows)
        {
            var key = Convert.ToHexString(encoder.EncodeKey(dataset, row.Values));
            if (row.Op == ChangeOp.Delete)
            {
                _rows.Remove(key);
            }
            else
            {
                _rows[key] = row.Values;
            }
        }
    }

    public RegionChecksum Checksum()
    {
        var encoder = new CanonicalEncoder();
        var checksum = RegionChecksum.Empty;
        foreach (var row in _rows.Values)
        {
            checksum = checksum.Add(RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, row)));
        }

        return checksum;
    }
}
