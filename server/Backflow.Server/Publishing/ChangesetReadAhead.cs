using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;
using Backflow.Server.Publishing.Input;

namespace Backflow.Server.Publishing;

/// <summary>
/// Reads and validates a changeset on a thread of its own and hands the rows over in chunks, each with the task that
/// computes its rows' canonical encodings and digests, through a bounded channel. Parsing and hashing then overlap
/// the key index's SQLite work and the extract writing (the two halves took about the same time in a profile), and
/// at most <see cref="Capacity"/> chunks are held in memory whatever the size of the input.
/// </summary>
/// <remarks>
/// Each chunk's row encodings and digests are computed on the thread pool, not on the reading thread: the channel
/// holds the chunks' tasks in input order, and routing awaits each in turn. On this 2-core machine, timed waits on both
/// ends of the channel found the router idle 1.9 s of a 5.7 s Parquet publish and the reader idle 0.8 s, each waiting
/// for the other in turn (a Parquet row group is decoded whole before its first row is handed over). Encoding on the
/// pool lets whichever core is free do it. A bigger channel (32 or 64 chunks) did not help.
/// </remarks>
internal sealed class ChangesetReadAhead(DatasetDefinition dataset, ChangesetInput input, IProgress<long>? progress)
{
    public const int ChunkSize = 1_024;

    private const int Capacity = 8;

    private const int ProgressEvery = 10_000;

    // Chunks are encoded on several pool threads at once, each with an encoder of its own taken from here. Owned by the
    // publish, not by the threads: an encoder keeps a buffer as large as the largest row it has encoded.
    private readonly ConcurrentBag<CanonicalEncoder> _encoders = [];

    private readonly Channel<Task<PreparedChunk>> _channel = Channel.CreateBounded<Task<PreparedChunk>>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });

    // Routed chunks come back here to be filled again: a new chunk's row list (48 KB) for every 1,024 rows added up to
    // 80 MB of allocations on a million-row publish.
    private readonly ConcurrentQueue<PreparedChunk> _routed = new();

    /// <summary>Rows read from the files, valid or not; final once <see cref="Rows"/> has been read to its end.</summary>
    public long RowsRead { get; private set; }

    /// <summary>The chunks in input order, each as the task that encodes it. Once any problem is found no more rows are
    /// handed over: the publish will be rejected, and the rest of the files is read only to report every problem.</summary>
    public ChannelReader<Task<PreparedChunk>> Rows => _channel.Reader;

    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(() => ReadAsync(cancellationToken), cancellationToken);

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var chunk = NextChunk();
            await foreach (var row in input.ReadUpsertsAsync(cancellationToken))
            {
                Count();
                if (!input.Problems.HasProblems)
                {
                    chunk = await AddAsync(chunk, new PreparedRow(row.Values, row.Key, IsDelete: false), cancellationToken);
                }
            }

            await foreach (var row in input.ReadDeletesAsync(cancellationToken))
            {
                Count();
                if (!input.Problems.HasProblems)
                {
                    chunk = await AddAsync(chunk, new PreparedRow(row.Values, row.Key, IsDelete: true), cancellationToken);
                }
            }

            if (chunk.Rows.Count > 0 && !input.Problems.HasProblems)
            {
                await _channel.Writer.WriteAsync(EncodeAsync(chunk, cancellationToken), cancellationToken);
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

        await _channel.Writer.WriteAsync(EncodeAsync(chunk, cancellationToken), cancellationToken);
        return NextChunk();
    }

    private Task<PreparedChunk> EncodeAsync(PreparedChunk chunk, CancellationToken cancellationToken) =>
        Task.Run(() => Encode(chunk), cancellationToken);

    /// <summary>Computes the canonical encoding and digest of every upsert of <paramref name="chunk"/>, in its arena.</summary>
    private PreparedChunk Encode(PreparedChunk chunk)
    {
        if (!_encoders.TryTake(out var encoder))
        {
            encoder = new CanonicalEncoder();
        }

        var rows = CollectionsMarshal.AsSpan(chunk.Rows);
        for (var i = 0; i < rows.Length; i++)
        {
            if (!rows[i].IsDelete)
            {
                var data = chunk.Arena.Add(encoder.EncodeRow(dataset, rows[i].Values));
                var digest = chunk.Arena.Take(RowDigest.Size);
                RowDigest.Compute(data.Span, digest.Span);
                rows[i] = rows[i] with { RowData = data, Digest = digest };
            }
        }

        _encoders.Add(encoder);
        return chunk;
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
