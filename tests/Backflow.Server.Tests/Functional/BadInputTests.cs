using System.Net;
using System.Text;
using Backflow.Protocol.Extracts;
using Backflow.Server.Feeds;
using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;

namespace Backflow.Server.Tests.Functional;

public sealed class BadInputTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "unknown column", "header, column colour: not expected here" },
        { "missing column", "header, column amount: missing" },
        { "type mismatch", "row 1, column amount, value \"lots\": not a decimal(18,2)" },
        { "null in key", "row 1, column id: null is not allowed in a primary key column" },
        { "malformed region", "row 1, column region_code, value \"33010\": '33010' is not a region code" },
        { "placeholder region", "row 1, column region_code, value \"999999\": '999999' is not a region code; its first two digits (99) name no province" },
        { "dataset-wide row not allowed", "row 1, column region_code, value \"000000\": 000000 marks a dataset-wide row" },
        { "duplicate key", "duplicate key (A), already at row 1" },
        { "empty file", "empty" },
        { "binary file", "neither CSV nor Parquet" },
        { "parquet of another schema", "missing" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_changeset_is_rejected_with_a_clear_message_and_consumes_no_sequence(string name, string expected)
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        var keysBefore = KeyIndexRows(server);
        var body = await BodyAsync(server, name);
        var token = server.AddToken("publisher");

        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/test-entities/changesets", token, new ByteArrayContent(body));
        var rejected = await Assert.ThrowsAsync<PublishRejectedException>(() => server.Get<Publisher>().PublishAsync(
            new PublishRequest(TestCatalog.Entities, new MemoryStream(body), null, new UTF8Encoding(false), null, "test"), CancellationToken.None));

        var problem = await ProblemAssert.AssertAsync(response, HttpStatusCode.UnprocessableEntity, "changeset-invalid");
        var problems = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.Contains(rejected.Problems.Items, p => p.ToString().Contains(expected, StringComparison.Ordinal));
        using (var connection = server.Get<MetadataDatabase>().Open())
        {
            Assert.Equal(1, FeedStore.Find(connection, null, TestCatalog.Entities, "330106")!.LatestSequence);
            Assert.Equal(1, connection.ExecuteScalar<long>("SELECT count(*) FROM manifests"));
        }

        Assert.Equal(keysBefore, KeyIndexRows(server));
        var next = await server.PublishAsync(new TestRow("B", "乙", "330106"));
        Assert.Equal(2, next.Regions.Single().Sequence);
    }

    private static async Task<byte[]> BodyAsync(BackflowServer server, string name)
    {
        var good = new TestRow("N", "新", "330106").Csv;
        string? csv = name switch
        {
            "unknown column" => TestCatalog.Header + ",colour\n" + good + ",red\n",
            "missing column" => "id,name,region_code,updated_at\nN,新,330106,2026-11-24T08:30:00Z\n",
            "type mismatch" => TestCatalog.Header + "\nN,新,330106,lots,2026-11-24T08:30:00Z\n",
            "null in key" => TestCatalog.Header + "\n,新,330106,1.00,2026-11-24T08:30:00Z\n",
            "malformed region" => TestCatalog.Header + "\nN,新,33010,1.00,2026-11-24T08:30:00Z\n",
            "placeholder region" => TestCatalog.Header + "\nN,新,999999,1.00,2026-11-24T08:30:00Z\n",
            "dataset-wide row not allowed" => TestCatalog.Header + "\nN,新,000000,1.00,2026-11-24T08:30:00Z\n",
            "duplicate key" => TestRow.CsvOf(new TestRow("A", "改", "330106"), new TestRow("A", "再改", "330108")),
            "empty file" => string.Empty,
            _ => null,
        };
        if (csv is not null)
        {
            return Encoding.UTF8.GetBytes(csv);
        }

        if (name == "binary file")
        {
            return [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xFF, 0xFE, 0x00, 0x01];
        }

        // A real Parquet file, but an extract of another dataset: the wrong columns.
        var other = server.Dataset(TestCatalog.Secret);
        using var file = new MemoryStream();
        await using (var writer = await ExtractWriter.CreateAsync(file, other, new ExtractHeader(other.Id, "330106", 1, other.SchemaHash, ExtractHeader.Delta)))
        {
            await writer.WriteRowGroupAsync([new ExtractRow(ChangeOp.Upsert, ["N", "330106"])]);
        }

        return file.ToArray();
    }

    private static List<string> KeyIndexRows(BackflowServer server)
    {
        using var connection = server.Get<MetadataDatabase>().Open();
        return connection.Query<string>("SELECT hex(row_key) || region || hex(row_hash) FROM key_index ORDER BY row_key").ToList();
    }
}
