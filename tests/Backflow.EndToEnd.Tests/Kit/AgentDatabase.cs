using System.Globalization;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;
using Microsoft.Data.Sqlite;

namespace Backflow.EndToEnd.Tests.Kit;

/// <summary>
/// Reads an agent's SQLite file independently of the agent's code — the test's own oracle of what is stored:
/// rows converted back to their CLR values, the applied state, and the region checksum recomputed from rows.
/// </summary>
internal sealed class AgentDatabase(string path)
{
    public bool Exists => File.Exists(path);

    public IReadOnlyList<object?[]> Rows(DatasetDefinition dataset, string table, string? region = null)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", dataset.Columns.Select(c => "\"" + c.Name + "\""))} FROM \"{table}\""
            + (region is null ? string.Empty : $" WHERE \"{dataset.RegionColumn}\" = $region");
        if (region is not null)
        {
            command.Parameters.AddWithValue("$region", region);
        }

        var rows = new List<object?[]>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(dataset.Columns.Select((c, i) => reader.IsDBNull(i) ? null : FromSqlite(c.Type, reader.GetValue(i))).ToArray());
        }

        return rows;
    }

    public bool HasTable(string table)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>(sequence, row count, checksum hex) per region of a dataset, from backflow_state.</summary>
    public IReadOnlyDictionary<string, (long Sequence, long RowCount, string Checksum)> State(string dataset)
    {
        var state = new Dictionary<string, (long, long, string)>();
        if (!Exists || !HasTable("backflow_state"))
        {
            return state;
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT region, sequence, row_count, checksum FROM backflow_state WHERE dataset = $dataset";
        command.Parameters.AddWithValue("$dataset", dataset);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            state[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
        }

        return state;
    }

    public RegionChecksum Recompute(DatasetDefinition dataset, string table, string region)
    {
        var encoder = new CanonicalEncoder();
        var checksum = RegionChecksum.Empty;
        foreach (var row in Rows(dataset, table, region))
        {
            checksum = checksum.Add(RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, row)));
        }

        return checksum;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The storage rules of the issue: decimals as canonical text, timestamps ISO 8601 UTC with
    /// microseconds, dates yyyy-MM-dd, booleans 0/1, binary as BLOB.</summary>
    private static object FromSqlite(LogicalType type, object value) => type.Kind switch
    {
        LogicalKind.String => (string)value,
        LogicalKind.Int32 => checked((int)(long)value),
        LogicalKind.Int64 => (long)value,
        LogicalKind.Decimal => decimal.Parse((string)value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
        LogicalKind.Double => value is string text ? double.Parse(text, CultureInfo.InvariantCulture) : Convert.ToDouble(value, CultureInfo.InvariantCulture),
        LogicalKind.Boolean => (long)value != 0,
        LogicalKind.Date => DateOnly.ParseExact((string)value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        LogicalKind.Timestamp => DateTime.ParseExact((string)value, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        LogicalKind.Binary => (byte[])value,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
