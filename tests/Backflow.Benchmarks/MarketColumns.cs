using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Backflow.Benchmarks;

/// <summary>
/// One row group of <c>market-entities</c> as typed column arrays: the fastest shape Parquet.Net can write or
/// read, used both to make the publish input files and as the raw baselines (no per-value boxing, no validation).
/// </summary>
internal sealed class MarketColumns(int capacity)
{
    public static readonly DataField[] Fields =
    [
        new DataField<string>("uscc", false),
        new DataField<string>("entity_name", true),
        new DataField<string>("entity_type", true),
        new DataField<string>("legal_representative", true),
        new DecimalDataField("registered_capital", 18, 2, isNullable: true),
        new DataField<DateOnly>("established_on", true),
        new DataField<string>("business_scope", true),
        new DataField<string>("address", true),
        new DataField<string>("county_code", false),
        new DataField<string>("status", true),
        new DataField<string>("registration_authority", true),
        new DateTimeDataField("updated_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
    ];

    public static readonly ParquetSchema Schema = new(Fields);

    public string?[][] Strings { get; } = [.. Enumerable.Range(0, 9).Select(_ => new string?[capacity])];

    public decimal?[] Capital { get; } = new decimal?[capacity];

    public DateOnly?[] Established { get; } = new DateOnly?[capacity];

    public DateTime?[] Updated { get; } = new DateTime?[capacity];

    public int Count { get; set; }

    /// <summary>Ordinal of a string column within <see cref="Strings"/>, by catalog ordinal.</summary>
    public static int StringSlot(int ordinal) => ordinal switch
    {
        < 4 => ordinal,
        6 or 7 or 8 or 9 or 10 => ordinal - 2,
        _ => throw new ArgumentOutOfRangeException(nameof(ordinal)),
    };

    public void Generate(long first, int count, int version)
    {
        for (var r = 0; r < count; r++)
        {
            var i = first + r;
            Strings[0][r] = MarketRows.Uscc(i);
            Strings[1][r] = MarketRows.Name(i);
            Strings[2][r] = MarketRows.Type(i);
            Strings[3][r] = MarketRows.Person(i);
            Capital[r] = MarketRows.Capital(i);
            Established[r] = MarketRows.Established(i);
            Strings[4][r] = MarketRows.Scope(i);
            Strings[5][r] = MarketRows.Address(i);
            Strings[6][r] = MarketRows.Region;
            Strings[7][r] = MarketRows.Status(i, version);
            Strings[8][r] = MarketRows.Authority(i);
            Updated[r] = MarketRows.Updated(i, version);
        }

        Count = count;
    }

    /// <summary>Sets one row from CSV text fields (catalog order); an empty field is null, as in the server.</summary>
    public void SetFromText(int r, ReadOnlySpan<string> fields)
    {
        var inv = CultureInfo.InvariantCulture;
        for (var c = 0; c < MarketRows.ColumnCount; c++)
        {
            var text = fields[c];
            var empty = text.Length == 0;
            switch (c)
            {
                case 4:
                    Capital[r] = empty ? null : decimal.Parse(text, NumberStyles.Number, inv);
                    break;
                case 5:
                    Established[r] = empty ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", inv);
                    break;
                case 11:
                    Updated[r] = empty ? null : DateTime.Parse(text, inv, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                    break;
                default:
                    Strings[StringSlot(c)][r] = empty ? null : text;
                    break;
            }
        }
    }

    public async Task WriteAsync(ParquetWriter writer)
    {
        using var group = writer.CreateRowGroup();
        var n = Count;
        for (var c = 0; c < Fields.Length; c++)
        {
            var field = Fields[c];
            switch (c)
            {
                case 4:
                    await group.WriteAsync<decimal>(field, new ReadOnlyMemory<decimal?>(Capital, 0, n));
                    break;
                case 5:
                    await group.WriteAsync<DateOnly>(field, new ReadOnlyMemory<DateOnly?>(Established, 0, n));
                    break;
                case 11:
                    await group.WriteAsync<DateTime>(field, new ReadOnlyMemory<DateTime?>(Updated, 0, n));
                    break;
                default:
                    await group.WriteAsync(field, new ArraySegment<string>(Strings[StringSlot(c)]!, 0, n));
                    break;
            }
        }
    }

    /// <summary>Reads the catalog columns of an extract row group (extracts have the same columns, then <c>_op</c>).</summary>
    public async Task ReadAsync(ParquetRowGroupReader group, IReadOnlyList<DataField> fileFields)
    {
        var n = checked((int)group.RowCount);
        for (var c = 0; c < MarketRows.ColumnCount; c++)
        {
            var field = fileFields[c];
            switch (c)
            {
                case 4:
                    await group.ReadAsync<decimal>(field, new Memory<decimal?>(Capital, 0, n));
                    break;
                case 5:
                    await group.ReadAsync<DateOnly>(field, new Memory<DateOnly?>(Established, 0, n));
                    break;
                case 11:
                    await group.ReadAsync<DateTime>(field, new Memory<DateTime?>(Updated, 0, n));
                    break;
                default:
                    await group.ReadAsync(field, new Memory<string?>(Strings[StringSlot(c)], 0, n));
                    break;
            }
        }

        Count = n;
    }
}
