using System.Buffers;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Hashing;
using Backflow.Protocol.Rows;
using Backflow.Server.Feeds;

namespace Backflow.Server.Publishing;

/// <summary>
/// One region's share of a publish: its next sequence, its staging extract (hashed while written) and its region
/// checksum as the changes are applied.
/// </summary>
/// <remarks>
/// A full row group is written on a thread-pool task while the next one fills, so encoding and compressing the
/// extract overlaps the key index's SQLite work instead of adding to it. At most two row groups per region are
/// held: the one filling and the one being written. A publish over many regions also bounds the rows buffered across
/// all of them: when they add up, <see cref="ChangeRouter"/> calls <see cref="FlushAsync"/> on every batch holding a
/// sizeable group and <see cref="Spill"/> on the rest, whose rows wait on disk and join the region's next row group.
/// </remarks>
internal sealed class RegionBatch : IAsyncDisposable
{
    /// <summary>Rows buffered per region before a row group is written. Smaller than the writer's default
    /// because a publish may touch every county of a province at once.</summary>
    private const int RowGroupSize = 10_000;

    /// <summary>The largest <see cref="_pending"/> buffer a region keeps after a spill for its next rows.</summary>
    private const int PendingKeptBytes = 16 * 1024;

    private readonly DatasetDefinition _dataset;
    private readonly List<SpillSegment> _spilled = [];
    private readonly RowSpill _spill;

    // The rows waiting for the next row group. Until a region has written one, it keeps its rows encoded as the spill
    // file stores them (_pending, SpillRowCodec): a publish may touch thousands of regions with a few rows each, whose
    // rows are mostly spilled, and encoded they are written to the spill as they are. Kept as objects instead, they
    // outlived the garbage collector's youngest generation while they waited (up to 100,000 rows routed later), and
    // were copied into the older ones: a publish over 3,100 counties paused 1.2 s for collections. Once a region has
    // written a row group, it collects its rows as columns instead (_filling; ExtractRowGroup says why), and spills
    // those only when the budget catches it with a small group just after a write.
    private ArrayBufferWriter<byte>? _pending;
    private int _pendingRows;
    private ExtractRowGroup? _filling;

    // The group being written, or idle once written (and so emptied); null before the first write.
    private ExtractRowGroup? _other;
    private int _spilledRows;
    private Task _writing = Task.CompletedTask;
    private bool _writerClosed;
    private bool _finished;

    // The staging file and its writer, made when the region first writes rows (FlushAsync), not when its first row
    // arrives: a publish over 3,100 counties made all 3,100 files on the routing thread before routing a thousand rows,
    // and on this machine's ext4 (no journal) each new file took up to a millisecond of searching the inode table.
    // Most regions of such a publish write only when they finish, on the thread pool, several at a time.
    private FileStream? _file;
    private HashingStream? _hashing;
    private ExtractWriter? _writer;

    private RegionBatch(DatasetDefinition dataset, FeedState feed, string stagingPath, RowSpill spill)
    {
        _dataset = dataset;
        Feed = feed;
        StagingPath = stagingPath;
        Checksum = feed.Checksum;
        _spill = spill;
    }

    public FeedState Feed { get; }

    public string Region => Feed.Region;

    public long Sequence => Feed.LatestSequence + 1;

    public string StagingPath { get; }

    public RegionChecksum Checksum { get; private set; }

    public long Upserts { get; private set; }

    public long Deletes { get; private set; }

    /// <summary>Rows waiting in memory for the next row group.</summary>
    public int Buffered => _pendingRows + (_filling?.Count ?? 0);

    public long Bytes { get; private set; }

    public string Sha256 { get; private set; } = string.Empty;

    /// <param name="spill">Where this region's waiting rows go when <see cref="Spill"/> is called; shared by the publish's regions.</param>
    public static RegionBatch Create(DatasetDefinition dataset, FeedState feed, string stagingDirectory, RowSpill spill) =>
        new(dataset, feed, Path.Combine(stagingDirectory, $"{feed.Region}.parquet"), spill);

    public ValueTask AddUpsertAsync(object?[] values, ulong? oldTerm, ulong newTerm, CancellationToken cancellationToken)
    {
        Checksum = oldTerm is { } old ? Checksum.Replace(old, newTerm) : Checksum.Add(newTerm);
        Upserts++;
        return AddAsync(new ExtractRow(ChangeOp.Upsert, values), cancellationToken);
    }

    public ValueTask AddDeleteAsync(object?[] keyAndRegion, ulong oldTerm, CancellationToken cancellationToken)
    {
        Checksum = Checksum.Remove(oldTerm);
        Deletes++;
        return AddAsync(new ExtractRow(ChangeOp.Delete, keyAndRegion), cancellationToken);
    }

    /// <summary>Writes the last row group and the footer, and records the file's size and SHA-256.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await WriteWaitingAsync(last: true, cancellationToken);
        await _writing;
        _writing = Task.CompletedTask;
        var writer = await WriterAsync(cancellationToken);
        // Set before, not after: closing writes the footer, and a second attempt (from DisposeAsync, after a failure
        // further on) would write it again, into a stream that may be gone by then.
        _writerClosed = true;
        await writer.DisposeAsync();
        // A publish holds every finished batch until it commits: not their rows' buffers.
        _pending = null;
        _filling = null;
        _other = null;
        await _hashing!.FlushAsync(cancellationToken);
        await _file!.FlushAsync(cancellationToken);
        _file.Flush(flushToDisk: true);
        Bytes = _hashing.BytesHashed;
        Sha256 = _hashing.HashHex;
        await _hashing.DisposeAsync();
        await _file.DisposeAsync();
        _finished = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            // Only after a failure: the publish is being abandoned and its staging files deleted.
            _finished = true;
            // The writer is not thread-safe: let a row group still being written end (its error is already moot).
            await _writing.ContinueWith(w => _ = w.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (_writer is not null && !_writerClosed)
            {
                _writerClosed = true;
                await CloseQuietlyAsync(_writer.DisposeAsync);
            }

            if (_hashing is not null)
            {
                await CloseQuietlyAsync(_hashing.DisposeAsync);
            }

            if (_file is not null)
            {
                await CloseQuietlyAsync(_file.DisposeAsync);
            }
        }
    }

    /// <summary>Closes a file of an abandoned batch. An error here (the disk that failed the publish is still full) says
    /// nothing new, and thrown from a dispose it would hide the error that ended the publish.</summary>
    private static async ValueTask CloseQuietlyAsync(Func<ValueTask> close)
    {
        try
        {
            await close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Nothing to do: see above.
        }
    }

    private ValueTask AddAsync(ExtractRow row, CancellationToken cancellationToken)
    {
        if (_filling is not null)
        {
            _filling.Add(row);
        }
        else
        {
            SpillRowCodec.Write(_dataset, row, _pending ??= new ArrayBufferWriter<byte>());
            _pendingRows++;
        }

        return Buffered + _spilledRows >= RowGroupSize ? new ValueTask(FlushAsync(cancellationToken)) : ValueTask.CompletedTask;
    }

    /// <summary>Moves the rows waiting in memory to the spill file; they come back, first, in the next row group.</summary>
    public void Spill()
    {
        // Rows in memory are in one of the two, never both (FlushAsync moves the pending rows into a group).
        if (_pendingRows > 0)
        {
            _spilled.Add(_spill.Append(_pending!.WrittenSpan, _pendingRows));
            _spilledRows += _pendingRows;
            _pendingRows = 0;

            // Kept for the region's next rows only while small: a publish holds one per region until it ends, and a
            // county's rows between two spills are a few dozen over 3,100 counties.
            if (_pending.Capacity > PendingKeptBytes)
            {
                _pending = null;
            }
            else
            {
                _pending.ResetWrittenCount();
            }
        }

        if (_filling is { Count: > 0 })
        {
            _spilled.Add(_spill.Append(_filling));
            _spilledRows += _filling.Count;
            _filling.Clear();
        }
    }

    /// <summary>Waits for the previous row group to be written (its failure surfaces here), then starts writing the
    /// waiting rows (spilled ones first, in the order they came) as the next one.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => WriteWaitingAsync(last: false, cancellationToken);

    /// <param name="last">No rows come after these (FinishAsync): no group is made for more.</param>
    private async Task WriteWaitingAsync(bool last, CancellationToken cancellationToken)
    {
        await _writing;
        // A finished task still references the group it wrote; the batch may stay open until the publish commits.
        _writing = Task.CompletedTask;
        var writer = await WriterAsync(cancellationToken);
        ExtractRowGroup rows;
        if (_filling is not null && _spilledRows == 0)
        {
            // The usual flush once a region has written a row group: its columns are written as they are, and the idle
            // group fills next.
            rows = _filling;
            _filling = _other ?? writer.NewRowGroup();
        }
        else
        {
            rows = _other ?? writer.NewRowGroup();
            if (_spilledRows > 0)
            {
                _spill.ReadInto(_spilled, rows);
                _spilled.Clear();
                _spilledRows = 0;
            }

            if (_pendingRows > 0)
            {
                SpillRowCodec.AddTo(_dataset, _pending!.WrittenSpan, _pendingRows, rows);
                _pendingRows = 0;
            }

            // From now on the region collects columns: its encoded rows are not needed again.
            _pending = null;
            if (_filling is not null)
            {
                rows.AddRange(_filling);
                _filling.Clear();
            }
            else if (!last)
            {
                _filling = writer.NewRowGroup();
            }
        }

        _other = rows;
        if (rows.Count > 0)
        {
            _writing = Task.Run(() => writer.WriteRowGroupAsync(rows, cancellationToken), cancellationToken);
        }
    }

    /// <summary>The staging file's writer, made on first use (see <see cref="_file"/>).</summary>
    private async ValueTask<ExtractWriter> WriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return _writer;
        }

        // A small buffer: Parquet.Net hands over whole pages, and a publish may hold thousands of these files open at
        // once (3,000 counties with 256 KB each held 750 MB).
        var file = new FileStream(StagingPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16 * 1024);
        var hashing = new HashingStream(new FlushAtEndStream(file), HashingStreamMode.Write, leaveOpen: true);
        try
        {
            var header = new ExtractHeader(_dataset.Id, Feed.Region, Sequence, _dataset.SchemaHash, ExtractHeader.Delta);
            _writer = await ExtractWriter.CreateAsync(hashing, _dataset, header, cancellationToken);
        }
        catch
        {
            await hashing.DisposeAsync();
            await file.DisposeAsync();
            throw;
        }

        _file = file;
        _hashing = hashing;
        return _writer;
    }
}
