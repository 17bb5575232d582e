using Backflow.Protocol.Rows;
using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>
/// Applies rows of one region inside an open transaction and keeps the region checksum up to date. Built once per
/// apply: every command is prepared once and its parameter objects are reused for every row.
/// </summary>
/// <remarks>
/// An upsert first tries a plain insert (<c>ON CONFLICT DO NOTHING</c>, bound positionally through
/// <see cref="SqliteRawInsert"/>), which costs less than a raw Microsoft.Data.Sqlite upsert; only
/// when the key already exists does it read the old row (its checksum term must leave the sum) and then update.
/// New rows, the bulk of snapshots and of most deltas, therefore take one statement each.
/// </remarks>
internal sealed class SqliteRegionWriter : IDisposable
{
    private readonly SqliteTableLayout _layout;
    private readonly SqliteRawInsert _insertNew;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _selectByKey;
    private readonly SqliteCommand _deleteByKey;
    private readonly object[] _bound;
    private readonly object?[] _oldRow;
    private readonly CanonicalEncoder _encoder = new();

    public SqliteRegionWriter(SqliteConnection connection, SqliteTransaction transaction, SqliteTableLayout layout)
    {
        _layout = layout;
        var width = layout.Dataset.Columns.Count;
        _bound = new object[width];
        _oldRow = new object?[width];
        _insertNew = new SqliteRawInsert(connection, layout.InsertNew, Enumerable.Range(0, width).Select(SqliteTableLayout.Parameter).ToArray());
        _upsert = Prepare(connection, transaction, layout.Upsert, width, SqliteTableLayout.Parameter);
        _selectByKey = Prepare(connection, transaction, layout.SelectByKey, layout.KeyOrdinals.Count, SqliteTableLayout.KeyParameter);
        _deleteByKey = Prepare(connection, transaction, layout.DeleteByKey, layout.KeyOrdinals.Count, SqliteTableLayout.KeyParameter);
    }

    /// <summary>
    /// Inserts or replaces a row and returns the checksum after it, except for the new row's own term, which the
    /// caller adds (it is computed off this thread; see <see cref="SqliteLoadTarget.ApplyAsync"/>).
    /// </summary>
    public RegionChecksum Upsert(object?[] values, RegionChecksum checksum)
    {
        var columns = _layout.Dataset.Columns;
        for (var i = 0; i < _bound.Length; i++)
        {
            _bound[i] = SqliteValueMapper.ToDb(columns[i], values[i]);
        }

        if (_insertNew.Execute(_bound) == 1)
        {
            return checksum.Add(0);
        }

        BindKey(_selectByKey, values);
        ulong oldTerm;
        using (var reader = _selectByKey.ExecuteReader())
        {
            if (!reader.Read())
            {
                throw new InvalidOperationException($"table '{_layout.Table}': an insert conflicted but no row has the key; is another key or unique index defined on the table?");
            }

            oldTerm = TermOf(reader);
        }

        var upsertParameters = _upsert.Parameters;
        for (var i = 0; i < _bound.Length; i++)
        {
            upsertParameters[i].Value = _bound[i];
        }

        _upsert.ExecuteNonQuery();
        return checksum.Replace(oldTerm, 0);
    }

    /// <summary>Deletes the row with the key of <paramref name="values"/> (if any) and returns the checksum after it.</summary>
    public RegionChecksum Delete(object?[] values, RegionChecksum checksum)
    {
        BindKey(_deleteByKey, values);
        using var reader = _deleteByKey.ExecuteReader();

        // A delete of a key the agent never had leaves the checksum alone; if the server believed otherwise, the
        // state comparison at the end of the apply reports the divergence.
        return reader.Read() ? checksum.Remove(TermOf(reader)) : checksum;
    }

    /// <summary>The checksum term of the row the reader is on (columns in catalog order).</summary>
    public ulong TermOf(SqliteDataReader reader)
    {
        var columns = _layout.Dataset.Columns;
        for (var i = 0; i < _oldRow.Length; i++)
        {
            _oldRow[i] = SqliteValueMapper.FromDb(reader, i, columns[i]);
        }

        return RowDigest.ChecksumTerm(_encoder.EncodeRow(_layout.Dataset, _oldRow));
    }

    public void Dispose()
    {
        _insertNew.Dispose();
        _upsert.Dispose();
        _selectByKey.Dispose();
        _deleteByKey.Dispose();
    }

    private void BindKey(SqliteCommand command, object?[] values)
    {
        var columns = _layout.Dataset.Columns;
        var keyOrdinals = _layout.KeyOrdinals;
        for (var k = 0; k < keyOrdinals.Count; k++)
        {
            var ordinal = keyOrdinals[k];
            command.Parameters[k].Value = SqliteValueMapper.ToDb(columns[ordinal], values[ordinal]);
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameterCount, Func<int, string> name)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < parameterCount; i++)
        {
            command.Parameters.Add(new SqliteParameter(name(i), DBNull.Value));
        }

        command.Prepare();
        return command;
    }
}
