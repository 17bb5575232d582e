using Backflow.Agent.Loading.Sqlite;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;
using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Tests.Loading;

public sealed class SqliteValueMapperTests : IDisposable
{
    private static readonly DateTime Utc = new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteValueMapperTests() => _connection.Open();

    public void Dispose() => _connection.Dispose();

    public static TheoryData<string, string> EdgeValues() => new()
    {
        { "string", "empty" }, { "string", "chinese" }, { "string", "nul" },
        { "int32", "min" }, { "int32", "max" }, { "int64", "min" }, { "int64", "max" },
        { "decimal(28,4)", "max" }, { "decimal(28,4)", "min" }, { "decimal(28,4)", "12.3400" }, { "decimal(28,4)", "-0" }, { "decimal(28,0)", "max" },
        { "double", "nan" }, { "double", "+inf" }, { "double", "-inf" }, { "double", "-0" }, { "double", "epsilon" }, { "double", "max" }, { "double", "2^63" },
        { "boolean", "true" }, { "boolean", "false" },
        { "date", "0001-01-01" }, { "date", "1969-12-31" }, { "date", "9999-12-31" },
        { "timestamp", "0001-01-01" }, { "timestamp", "1969-12-31T23:59:59.999999Z" }, { "timestamp", "9999-12-31T23:59:59.999999Z" },
        { "binary", "empty" }, { "binary", "zero-byte" }, { "binary", "bytes" },
    };

    [Theory]
    [MemberData(nameof(EdgeValues))]
    public void Every_edge_value_round_trips_exactly_through_a_real_table(string type, string name)
    {
        var column = Column(type, nullable: false);
        var value = Value(type, name);

        var back = RoundTrip(column, value);

        Assert.Equal(value.GetType(), back!.GetType());
        Assert.Equal(Encode(column, value), Encode(column, back));
        if (value is double d && double.IsNaN(d))
        {
            Assert.True(double.IsNaN((double)back));
        }
        else if (value is double z && z == 0d)
        {
            Assert.Equal(0d, (double)back); // -0.0 may come back as 0.0; the canonical encoding writes both as zero
        }
        else
        {
            Assert.Equal(value, back);
        }
    }

    [Theory]
    [InlineData("string")]
    [InlineData("int64")]
    [InlineData("decimal(18,2)")]
    [InlineData("double")]
    [InlineData("date")]
    [InlineData("timestamp")]
    [InlineData("binary")]
    public void Null_round_trips_as_null_in_every_type(string type) => Assert.Null(RoundTrip(Column(type, nullable: true), null));

    [Fact]
    public void Empty_string_and_empty_binary_are_stored_as_values_not_null()
    {
        Assert.Equal("text", StoredClass(Column("string", false), string.Empty));
        Assert.Equal("blob", StoredClass(Column("binary", false), Array.Empty<byte>()));
    }

    [Fact]
    public void Storage_classes_are_the_documented_ones()
    {
        Assert.Equal("text", StoredClass(Column("decimal(28,4)", false), 12.34m));
        Assert.Equal("real", StoredClass(Column("double", false), 1.5));
        Assert.Equal("text", StoredClass(Column("double", false), double.NaN));
        Assert.Equal("integer", StoredClass(Column("boolean", false), true));
        Assert.Equal("integer", StoredClass(Column("int32", false), 7));
        Assert.Equal("text", StoredClass(Column("date", false), new DateOnly(2025, 1, 1)));
        Assert.Equal("text", StoredClass(Column("timestamp", false), Utc));
    }

    [Fact]
    public void Decimals_are_stored_as_canonical_text_at_the_catalog_scale()
    {
        Assert.Equal("12.3400", SqliteValueMapper.ToDb(Column("decimal(28,4)", false), 12.34m));
        Assert.Equal("0.00", SqliteValueMapper.ToDb(Column("decimal(18,2)", false), -0.00m));
    }

    [Fact]
    public void Timestamps_are_stored_with_six_fractional_digits_and_z()
    {
        var value = new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990);
        Assert.Equal("1969-12-31T23:59:59.999999Z", SqliteValueMapper.ToDb(Column("timestamp", false), value));
        Assert.Equal("2025-01-01T00:00:00.000000Z", SqliteValueMapper.ToDb(Column("timestamp", false), new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void A_value_edited_outside_backflow_is_reported_not_misread()
    {
        var column = Column("decimal(18,2)", false);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT '12.3' UNION ALL SELECT 12.5 UNION ALL SELECT 'abc'";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var error = Assert.Throws<InvalidDataException>(() => SqliteValueMapper.FromDb(reader, 0, column));
            Assert.Contains("'amount'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_value_of_the_wrong_clr_type_is_refused_with_the_column_named()
    {
        var error = Assert.Throws<ArgumentException>(() => SqliteValueMapper.ToDb(Column("int64", false), 5));
        Assert.Contains("'amount'", error.Message, StringComparison.Ordinal);
    }

    private object? RoundTrip(ColumnDefinition column, object? value)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"DROP TABLE IF EXISTS t; CREATE TABLE t ({SqliteTableLayout.ColumnDefinitionSql(column)}); INSERT INTO t VALUES ($v);";
        command.Parameters.AddWithValue("$v", SqliteValueMapper.ToDb(column, value));
        command.ExecuteNonQuery();
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT amount FROM t";
        using var reader = select.ExecuteReader();
        Assert.True(reader.Read());
        return SqliteValueMapper.FromDb(reader, 0, column);
    }

    private string StoredClass(ColumnDefinition column, object value)
    {
        RoundTrip(column, value);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT typeof(amount) FROM t";
        return (string)command.ExecuteScalar()!;
    }

    private static ColumnDefinition Column(string type, bool nullable)
    {
        Assert.True(LogicalType.TryParse(type, out var logical, out var error), error);
        return new ColumnDefinition("amount", logical!, nullable);
    }

    private static byte[] Encode(ColumnDefinition column, object? value)
    {
        var dataset = CatalogReader.Parse(
            $$"""
            { "id": "one", "title": "t", "provider": "p", "shareType": "unconditional", "updateCycle": "daily",
              "regionColumn": "region", "primaryKey": ["region"],
              "columns": [ { "name": "region", "type": "string", "nullable": false }, { "name": "amount", "type": "{{column.Type}}" } ] }
            """,
            "one.json");
        return new CanonicalEncoder().EncodeRow(dataset, new object?[] { "330106", value }).ToArray();
    }

    private static object Value(string type, string name) => (type, name) switch
    {
        ("string", "empty") => string.Empty,
        ("string", "chinese") => "浙江省杭州市西湖区",
        ("string", "nul") => "a\0b",
        ("int32", "min") => int.MinValue,
        ("int32", "max") => int.MaxValue,
        ("int64", "min") => long.MinValue,
        ("int64", "max") => long.MaxValue,
        ("decimal(28,4)", "max") => 999_999_999_999_999_999_999_999.9999m,
        ("decimal(28,4)", "min") => -999_999_999_999_999_999_999_999.9999m,
        ("decimal(28,4)", "12.3400") => 12.3400m,
        ("decimal(28,4)", "-0") => -0.0000m,
        ("decimal(28,0)", "max") => 9_999_999_999_999_999_999_999_999_999m,
        ("double", "nan") => double.NaN,
        ("double", "+inf") => double.PositiveInfinity,
        ("double", "-inf") => double.NegativeInfinity,
        ("double", "-0") => -0.0,
        ("double", "epsilon") => double.Epsilon,
        ("double", "max") => double.MaxValue,
        ("double", "2^63") => 9_223_372_036_854_775_808.0,
        ("boolean", "true") => true,
        ("boolean", "false") => false,
        ("date", _) => DateOnly.ParseExact(name, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ("timestamp", "0001-01-01") => Utc,
        ("timestamp", _) => SqliteValueMapper.ParseTimestamp(name),
        ("binary", "empty") => Array.Empty<byte>(),
        ("binary", "zero-byte") => new byte[] { 0 },
        ("binary", "bytes") => new byte[] { 0, 0xff, 0x10 },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such edge value"),
    };
}
