using System.Globalization;
using Backflow.Protocol.Catalog;
using Parquet.Schema;

namespace Backflow.Protocol.Extracts;

/// <summary>
/// The rows of one row group of an <see cref="ExtractWriter"/>, held as typed columns from the moment each is added
/// (<see cref="ExtractWriter.NewRowGroup"/>, <see cref="ExtractWriter.WriteRowGroupAsync(ExtractRowGroup, CancellationToken)"/>).
/// </summary>
/// <remarks>
/// A caller that collects rows for a while before writing them (a publish holds up to 10,000 rows per region) would
/// otherwise keep each row's value array and boxed values alive until the write. Held that long, they outlived the
/// garbage collector's youngest generation and were copied into the older ones: a 1,000,000-row publish spent about a
/// second in collections. Copied into the columns as they come, those objects die young; only the columns, reused
/// from group to group, and the text values stay. Writing the group clears it for the next rows.
/// </remarks>
public sealed class ExtractRowGroup
{
    private readonly DatasetDefinition _dataset;
    private int[] _ops = [];
    private int _capacity;

    internal ExtractRowGroup(DatasetDefinition dataset, DataField[] fields, object owner)
    {
        _dataset = dataset;
        Owner = owner;
        Columns = new ExtractColumn[dataset.Columns.Count];
        for (var i = 0; i < Columns.Length; i++)
        {
            Columns[i] = ExtractColumn.Create(fields[i], dataset.Columns[i].Type.Kind);
        }
    }

    /// <summary>Rows added since the group was made or last written.</summary>
    public int Count { get; private set; }

    /// <summary>How many of them are upserts.</summary>
    public long Upserts { get; private set; }

    /// <summary>How many of them are deletes.</summary>
    public long Deletes { get; private set; }

    /// <summary>The writer whose fields the columns use: a group is written only by the writer that made it.</summary>
    internal object Owner { get; }

    internal ExtractColumn[] Columns { get; }

    internal ReadOnlyMemory<int> Ops => _ops.AsMemory(0, Count);

    /// <summary>The row at <paramref name="index"/>, as it was added.</summary>
    public ExtractRow this[int index] => Read(index, new object?[Columns.Length]);

    /// <summary>The row at <paramref name="index"/>, its values put into <paramref name="values"/> (one per column):
    /// for a caller that reads many rows and keeps none.</summary>
    public ExtractRow Read(int index, object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        ArgumentOutOfRangeException.ThrowIfNotEqual(values.Length, Columns.Length);
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = Columns[c].Get(index);
        }

        return new ExtractRow((ChangeOp)_ops[index], values);
    }

    /// <summary>Adds a row after checking it against the extract rules.</summary>
    /// <exception cref="ArgumentException">The row breaks a rule; the message names the column and the rule. The group
    /// is left as it was.</exception>
    public void Add(ExtractRow row)
    {
        var error = ExtractRowRules.Check(_dataset, row);
        if (error is not null)
        {
            var index = Count.ToString(CultureInfo.InvariantCulture);
            throw new ArgumentException($"row {index} of a row group of dataset '{_dataset.Id}' is invalid: {error}", nameof(row));
        }

        AddChecked(row);
    }

    /// <summary>Adds every row of <paramref name="other"/> (a group of the same writer) after the rows here, leaving it as it was.</summary>
    public void AddRange(ExtractRowGroup other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Owner != Owner)
        {
            throw new ArgumentException("the rows of a group can be added only to another group of the same writer", nameof(other));
        }

        Grow(Count + other.Count);
        for (var c = 0; c < Columns.Length; c++)
        {
            Columns[c].CopyFrom(other.Columns[c], other.Count, Count);
        }

        Array.Copy(other._ops, 0, _ops, Count, other.Count);
        Count += other.Count;
        Upserts += other.Upserts;
        Deletes += other.Deletes;
    }

    /// <summary>Forgets every row (the columns keep their size for the next ones).</summary>
    public void Clear()
    {
        foreach (var column in Columns)
        {
            column.ForgetValues(Count);
        }

        Count = 0;
        Upserts = 0;
        Deletes = 0;
    }

    /// <summary>Adds a row the caller has already checked.</summary>
    internal void AddChecked(ExtractRow row)
    {
        Grow(Count + 1);
        _ops[Count] = (int)row.Op;
        for (var c = 0; c < Columns.Length; c++)
        {
            Columns[c].Set(Count, row.Values[c]);
        }

        if (row.Op == ChangeOp.Delete)
        {
            Deletes++;
        }
        else
        {
            Upserts++;
        }

        Count++;
    }

    /// <summary>Forgets every row and lets go of the columns' arrays (a group used again grows them anew).</summary>
    public void Release()
    {
        foreach (var column in Columns)
        {
            column.Release();
        }

        _ops = [];
        _capacity = 0;
        Count = 0;
        Upserts = 0;
        Deletes = 0;
    }

    /// <summary>Makes room for <paramref name="count"/> rows: at least doubles, so that rows added one at a time are
    /// copied a few times in all. Grown as rows come, not sized up front: a publish may hold a group for each of thousands
    /// of regions with a few rows each.</summary>
    private void Grow(int count)
    {
        if (_capacity >= count)
        {
            return;
        }

        _capacity = Math.Max(count, Math.Max(16, _capacity * 2));
        foreach (var column in Columns)
        {
            column.Grow(_capacity);
        }

        Array.Resize(ref _ops, _capacity);
    }
}
