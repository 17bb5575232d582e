using System.Collections.Concurrent;
using System.Threading.Channels;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;
using Backflow.Server.Publishing.Input;

namespace Backflow.Server.Publishing;

/// <summary>
/// Reads and validates a changeset on a thread of its own and hands the rows over in chunks, with their canonical
/// key and row encodings and digests already computed, through a bounded channel. Parsing and hashing then overlap
/// the key index's SQLite work and the extract writing (the two halves took about the same time in a profile), and
/// at most <see cref="Capacity"/> chunks are held in memory whatever the size of the input.
/// </summary>
internal sealed class ChangesetReadAhead(DatasetDefinition dataset, ChangesetInput input, IProgress<long>? progress)
{
    public const int ChunkSize = 1_024;

    private const int Capacity = 8;

    private const int ProgressEvery = 10_000;

    private readonly Channel<PreparedChunk> _channel = Channel.CreateBounded<PreparedChunk>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });

    // Routed chunks come back here to be filled again: a new chunk's row list (48 KB) for every 1,024 rows added up to
    // 80 MB of allocations on a million-row publish.
    private readonly ConcurrentQueue<PreparedChunk> _routed = new();

    /// <summary>Rows read from the files, valid or not; final once <see cref="Rows"/> has been read to its end.</summary>
    public long RowsRead { get; private set; }

    /// <summary>The chunks as they are ready. Once any problem is found no more rows are handed over: the publish will be
    /// rejected, and the rest of the files is read only to report every problem.</summary>
    public ChannelReader<PreparedChunk> Rows => _channel.Reader;

    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(() => ReadAsync(cancellationToken), cancellationToken);

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var encoder = new CanonicalEncoder();
            var chunk = NextChunk();
            await foreach (var row in input.ReadUpsertsAsync(cancellationToken))
            {
                Count();
                if (!input.Problems.HasProblems)
                {
                    var data = chunk.Arena.Add(encoder.EncodeRow(dataset, row.Values));
                    var digest = chunk.Arena.Take(RowDigest.Size);
                    RowDigest.Compute(data.Span, digest.Span);
                    chunk = await AddAsync(chunk, new PreparedRow(row.Values, row.Key, data, digest), cancellationToken);
                }
            }

            await foreach (var row in input.ReadDeletesAsync(cancellationToken))
            {
                Count();
                if (!input.Problems.HasProblems)
                {
                    chunk = await AddAsync(chunk, new PreparedRow(row.Values, row.Key, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty), cancellationToken);
                }
            }

            if (chunk.Rows.Count > 0 && !input.Problems.HasProblems)
            {
                await _channel.Writer.WriteAsync(chunk, cancellationToken);
            }

            progress?.Report(RowsRead);
            _channel.Writer.Complete();
        }
        catch (Exception e)
        {
            _channel.Writer.Complete(e);
            throw;
        }
    }

    private async ValueTask<PreparedChunk> AddAsync(PreparedChunk chunk, PreparedRow row, CancellationToken cancellationToken)
    {
        chunk.Rows.Add(row);
        if (chunk.Rows.Count < ChunkSize)
        {
            return chunk;
        }

        await _channel.Writer.WriteAsync(chunk, cancellationToken);
        return NextChunk();
    }

    /// <summary>Takes back a chunk whose rows have been routed, emptied, to be filled again.</summary>
    public void Recycle(PreparedChunk chunk)
    {
        chunk.Clear();
        _routed.Enqueue(chunk);
    }

    private PreparedChunk NextChunk() => _routed.TryDequeue(out var chunk) ? chunk : new PreparedChunk();

    private void Count()
    {
        if (++RowsRead % ProgressEvery == 0)
        {
            progress?.Report(RowsRead);
        }
    }
}
