using System.Text;
using Backflow.Protocol.Catalog;
using Backflow.Server.Publishing.Input;

namespace Backflow.Server.Tests.Publishing.Input;

/// <summary>Inline catalog entries and helpers that read a changeset from text or bytes.</summary>
internal static class TestDatasets
{
    /// <summary>One column of every logical type; key (id, region_code).</summary>
    public static DatasetDefinition AllTypes { get; } = CatalogReader.Parse(
        """
        {
          "id": "all-types", "title": "所有类型", "provider": "测试", "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "region_code", "datasetWideRows": true, "primaryKey": ["id", "region_code"],
          "columns": [
            { "name": "id", "type": "int64", "nullable": false },
            { "name": "region_code", "type": "string", "nullable": false },
            { "name": "name", "type": "string", "nullable": true },
            { "name": "staff", "type": "int32", "nullable": true },
            { "name": "registered_capital", "type": "decimal(18,2)", "nullable": true },
            { "name": "score", "type": "double", "nullable": true },
            { "name": "active", "type": "boolean", "nullable": false },
            { "name": "founded", "type": "date", "nullable": true },
            { "name": "updated_at", "type": "timestamp", "nullable": true },
            { "name": "photo", "type": "binary", "nullable": true }
          ]
        }
        """,
        "all-types.json");

    public const string AllTypesHeader = "id,region_code,name,staff,registered_capital,score,active,founded,updated_at,photo";

    /// <summary>Opens a changeset from CSV text encoded as UTF-8 (or <paramref name="encoding"/>).</summary>
    public static Task<ChangesetInput> OpenCsvAsync(string changes, string? deletes = null, Encoding? encoding = null) =>
        OpenAsync(Encode(changes, encoding), deletes is null ? null : Encode(deletes, encoding), encoding);

    public static async Task<ChangesetInput> OpenAsync(byte[] changes, byte[]? deletes = null, Encoding? encoding = null, DatasetDefinition? dataset = null) =>
        await ChangesetInput.OpenAsync(
            dataset ?? AllTypes, new MemoryStream(changes), deletes is null ? null : new MemoryStream(deletes), encoding);

    /// <summary>Reads upserts then deletes to the end, as the pipeline does.</summary>
    public static async Task<(List<ChangesetRow> Upserts, List<ChangesetRow> Deletes, ProblemList Problems)> ReadAllAsync(ChangesetInput input)
    {
        var upserts = new List<ChangesetRow>();
        await foreach (var row in input.ReadUpsertsAsync())
        {
            upserts.Add(row);
        }

        var deletes = new List<ChangesetRow>();
        await foreach (var row in input.ReadDeletesAsync())
        {
            deletes.Add(row);
        }

        return (upserts, deletes, input.Problems);
    }

    public static async Task<(List<ChangesetRow> Upserts, List<ChangesetRow> Deletes, ProblemList Problems)> ReadCsvAsync(
        string changes, string? deletes = null, Encoding? encoding = null)
    {
        await using var input = await OpenCsvAsync(changes, deletes, encoding);
        return await ReadAllAsync(input);
    }

    /// <summary>The one problem reported, as text; fails when there is not exactly one.</summary>
    public static string Single(ProblemList problems) => Assert.Single(problems.Items).ToString();

    private static byte[] Encode(string text, Encoding? encoding) => (encoding ?? new UTF8Encoding(false)).GetBytes(text);
}
