using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Backflow.Protocol.Extracts;
using Backflow.Server.Hosting;
using Backflow.Server.Publishing;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

public sealed class PublishAndFeedTests
{
    [Fact]
    public async Task A_published_extract_is_listed_verified_downloaded_and_read_back_as_the_published_rows()
    {
        await using var server = await BackflowServer.StartAsync();
        TestRow[] rows =
        [
            new("A1", "杭州一号有限公司", "330106"),
            new("A2", "名称, 带 \"引号\"", "330106", null),
            new("A3", "x", "330106", 1234567890123456.78m, new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9999990)),
        ];

        var result = await server.PublishAsync(rows);

        var published = Assert.Single(result.Regions);
        Assert.Equal(("330106", 1L, 3L, 0L), (published.Region, published.Sequence, published.Upserts, published.Deletes));
        var agent = await server.EnrollAgentAsync("330106");
        var feeds = await server.GetJsonAsync("/api/v1/feeds", agent.Token);
        var feed = Assert.Single(feeds.GetProperty("feeds").EnumerateArray());
        Assert.Equal(TestCatalog.Entities, feed.GetProperty("dataset").GetString());
        Assert.Equal("330106", feed.GetProperty("region").GetString());
        Assert.Equal(1, feed.GetProperty("latestSequence").GetInt64());
        Assert.Equal(server.Dataset().SchemaHash, feed.GetProperty("schemaHash").GetString());

        var manifest = Assert.Single(await AgentView.ManifestsAsync(server, agent, "330106"));
        Assert.Equal((TestCatalog.Entities, "330106", 1L, result.PublishId), (manifest.Dataset, manifest.Region.Value, manifest.Sequence, manifest.PublishId));
        var bytes = await AgentView.DownloadAsync(server, agent, "330106", 1);
        Assert.Equal(manifest.File.Bytes, bytes.Length);
        Assert.Equal(manifest.File.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));

        var read = await AgentView.ReadAsync(bytes, server.Dataset());
        Assert.All(read, r => Assert.Equal(ChangeOp.Upsert, r.Op));
        Assert.Equal(rows.Select(r => r.Values), read.Select(r => r.Values));
        var expected = TestRow.ChecksumOf(server.Dataset(), rows);
        Assert.Equal((expected.RowCount, expected.Sum), (manifest.State.RowCount, manifest.State.Checksum));
        Assert.Equal((3L, 0L), (manifest.Counts.Upserts, manifest.Counts.Deletes));
    }

    [Fact]
    public async Task A_row_that_moves_region_is_upserted_in_the_new_region_and_deleted_from_the_old_one()
    {
        await using var server = await BackflowServer.StartAsync();
        var a = new TestRow("A", "甲", "330106");
        var b = new TestRow("B", "乙", "330106");
        var c = new TestRow("C", "丙", "330108");
        await server.PublishAsync(a, b, c);
        var moved = a with { Region = "330108", Name = "甲（迁入滨江）" };

        var result = await server.PublishAsync(moved, b);

        Assert.Equal(1, result.Unchanged);
        Assert.Equal([("330106", 2L, 0L, 1L), ("330108", 2L, 1L, 0L)], result.Regions.Select(r => (r.Region, r.Sequence, r.Upserts, r.Deletes)));
        var agent = await server.EnrollAgentAsync("330100");
        var dataset = server.Dataset();
        var oldRows = await AgentView.ReadAsync(await AgentView.DownloadAsync(server, agent, "330106", 2), dataset);
        var delete = Assert.Single(oldRows);
        Assert.Equal(ChangeOp.Delete, delete.Op);
        Assert.Equal(new object?[] { "A", null, "330106", null, null }, delete.Values);
        var newRows = await AgentView.ReadAsync(await AgentView.DownloadAsync(server, agent, "330108", 2), dataset);
        Assert.Equal(new[] { (ChangeOp.Upsert, moved.Values) }, newRows.Select(r => (r.Op, r.Values)));

        var oldState = (await AgentView.ManifestsAsync(server, agent, "330106", after: 1)).Single().State;
        var newState = (await AgentView.ManifestsAsync(server, agent, "330108", after: 1)).Single().State;
        var expectedOld = TestRow.ChecksumOf(dataset, [b]);
        var expectedNew = TestRow.ChecksumOf(dataset, [c, moved]);
        Assert.Equal((expectedOld.RowCount, expectedOld.Sum), (oldState.RowCount, oldState.Checksum));
        Assert.Equal((expectedNew.RowCount, expectedNew.Sum), (newState.RowCount, newState.Checksum));
    }

    [Fact]
    public async Task Unchanged_rows_publish_nothing_and_use_no_sequence()
    {
        await using var server = await BackflowServer.StartAsync();
        TestRow[] rows = [new("A", "甲", "330106"), new("B", "乙", "330108")];
        await server.PublishAsync(rows);

        var again = await server.PublishAsync(rows);

        Assert.Empty(again.Regions);
        Assert.Equal((2L, 2L), (again.RowsRead, again.Unchanged));
        var agent = await server.EnrollAgentAsync("330100");
        Assert.Equal(1, (await AgentView.FeedAsync(server, agent, "330106")).GetProperty("latestSequence").GetInt64());
        Assert.Equal(1, (await AgentView.FeedAsync(server, agent, "330108")).GetProperty("latestSequence").GetInt64());
    }

    [Fact]
    public async Task Deletes_go_to_the_region_where_the_key_lives_and_unknown_keys_are_only_counted()
    {
        await using var server = await BackflowServer.StartAsync();
        var a = new TestRow("A", "甲", "330106");
        var b = new TestRow("B", "乙", "330108");
        await server.PublishAsync(a, b);

        var result = await server.PublishAsync(TestRow.CsvOf(), deletes: "id\nB\nNOPE\n");

        Assert.Equal(1, result.DeletesNotFound);
        var region = Assert.Single(result.Regions);
        Assert.Equal(("330108", 2L, 0L, 1L), (region.Region, region.Sequence, region.Upserts, region.Deletes));
        var agent = await server.EnrollAgentAsync("330100");
        var rows = await AgentView.ReadAsync(await AgentView.DownloadAsync(server, agent, "330108", 2), server.Dataset());
        Assert.Equal(new[] { (ChangeOp.Delete, new object?[] { "B", null, "330108", null, null }) }, rows.Select(r => (r.Op, r.Values)));
        var state = (await AgentView.ManifestsAsync(server, agent, "330108", after: 1)).Single().State;
        Assert.Equal((0L, 0UL), (state.RowCount, state.Checksum));
    }

    [Fact]
    public async Task A_repeated_publish_id_returns_the_first_result_and_publishes_nothing()
    {
        await using var server = await BackflowServer.StartAsync();
        var first = await server.PublishAsync(TestRow.CsvOf(new TestRow("A", "甲", "330106")), publishId: "batch-2026-11-24");

        // A retry: the same files under the same id.
        var again = await server.PublishAsync(TestRow.CsvOf(new TestRow("A", "甲", "330106")), publishId: "batch-2026-11-24");

        Assert.True(again.Repeated);
        Assert.False(first.Repeated);
        Assert.Equal(first.Regions, again.Regions);
        Assert.Equal(first.PublishedAt, again.PublishedAt);
        var agent = await server.EnrollAgentAsync("330106");
        Assert.Single(await AgentView.ManifestsAsync(server, agent, "330106"));
        var error = await Assert.ThrowsAsync<UserError>(() =>
            server.PublishAsync(TestRow.CsvOf(new TestRow("B", "乙", "330106")), publishId: "batch-2026-11-24", dataset: "market-entities"));
        Assert.Contains("already used for dataset 'test-entities'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeated_publish_id_over_http_answers_the_first_result_marked_repeated()
    {
        await using var server = await BackflowServer.StartAsync();
        var token = server.AddToken("publisher", TestCatalog.Entities);
        var csv = TestRow.CsvOf(new TestRow("A", "甲", "330106"));

        using var first = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/test-entities/changesets?publishId=p-1", token, new StringContent(csv));
        using var second = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/test-entities/changesets?publishId=p-1", token, new StringContent(csv));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = System.Text.Json.JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        var b = System.Text.Json.JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.False(a.GetProperty("repeated").GetBoolean());
        Assert.True(b.GetProperty("repeated").GetBoolean());
        Assert.Equal(a.GetProperty("regions").GetRawText(), b.GetProperty("regions").GetRawText());
        Assert.Equal(1, b.GetProperty("upserts").GetInt64());
    }

    [Fact]
    public async Task A_publish_id_sent_again_with_other_files_is_refused_and_publishes_nothing()
    {
        await using var server = await BackflowServer.StartAsync();
        var token = server.AddToken("publisher", TestCatalog.Entities);
        var first = TestRow.CsvOf(new TestRow("A", "甲", "330106"));
        var other = TestRow.CsvOf(new TestRow("B", "乙", "330106"));

        using var published = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/test-entities/changesets?publishId=nightly", token, new StringContent(first));
        using var reused = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/test-entities/changesets?publishId=nightly", token, new StringContent(other));
        var cli = await Assert.ThrowsAsync<PublishIdReusedException>(() => server.PublishAsync(other, publishId: "nightly"));

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var problem = await ProblemAssert.AssertAsync(reused, HttpStatusCode.Conflict, "publish-id-reused");
        Assert.Contains("already used", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("new id", cli.Message, StringComparison.Ordinal);
        var agent = await server.EnrollAgentAsync("330106");
        Assert.Equal([1L], (await AgentView.ManifestsAsync(server, agent, "330106")).Select(m => m.Sequence));
    }

    [Fact]
    public async Task A_file_sent_as_curl_sends_it_by_default_is_published_as_the_raw_body()
    {
        // `curl --data-binary @changes.csv` labels the body application/x-www-form-urlencoded: it is still the file.
        await using var server = await BackflowServer.StartAsync();
        var token = server.AddToken("publisher");
        var rows = Enumerable.Range(1, 200).Select(i => new TestRow("K" + i, new string('名', 20) + i, "330106")).ToArray();
        var body = new StringContent(TestRow.CsvOf(rows), Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/test-entities/changesets", token, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(200, System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("upserts").GetInt64());
    }

    [Fact]
    public async Task A_broken_multipart_body_is_a_400_that_says_how_to_send_the_file()
    {
        await using var server = await BackflowServer.StartAsync();
        var token = server.AddToken("publisher");
        var body = new StringContent("--b\r\nContent-Disposition: form-data; name=\"changes\"\r\n\r\nid,name", Encoding.UTF8);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/test-entities/changesets", token, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("curl -F changes=@", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gb18030_text_with_chinese_round_trips_to_the_extract()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb18030 = Encoding.GetEncoding("GB18030");
        await using var server = await BackflowServer.StartAsync();
        TestRow[] rows = [new("A", "杭州西湖龙井茶业有限公司", "330106"), new("B", "𠀀 扩展汉字 · 鿏", "330106")];
        var token = server.AddToken("publisher");

        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/test-entities/changesets?encoding=gb18030", token,
            new ByteArrayContent(gb18030.GetBytes(TestRow.CsvOf(rows))) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } });
        var cli = await server.PublishAsync(TestRow.CsvOf(new TestRow("C", "余杭区良渚街道", "330106")), encoding: gb18030);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, cli.Regions.Single().Sequence);
        var agent = await server.EnrollAgentAsync("330106");
        var first = await AgentView.ReadAsync(await AgentView.DownloadAsync(server, agent, "330106", 1), server.Dataset());
        var second = await AgentView.ReadAsync(await AgentView.DownloadAsync(server, agent, "330106", 2), server.Dataset());
        Assert.Equal(["杭州西湖龙井茶业有限公司", "𠀀 扩展汉字 · 鿏"], first.Select(r => (string)r.Values[1]!));
        Assert.Equal("余杭区良渚街道", (string)second.Single().Values[1]!);
    }

    [Fact]
    public async Task Changes_honour_after_and_limit_and_return_envelopes_in_order()
    {
        await using var server = await BackflowServer.StartAsync();
        for (var i = 1; i <= 3; i++)
        {
            await server.PublishAsync(new TestRow("A" + i, "名" + i, "330106"));
        }

        var agent = await server.EnrollAgentAsync("330100");

        Assert.Equal([1L, 2L, 3L], (await AgentView.ManifestsAsync(server, agent, "330106")).Select(m => m.Sequence));
        Assert.Equal([2L, 3L], (await AgentView.ManifestsAsync(server, agent, "330106", after: 1)).Select(m => m.Sequence));
        Assert.Empty(await AgentView.ManifestsAsync(server, agent, "330106", after: 3));
        var limited = await server.GetJsonAsync("/api/v1/feeds/test-entities/330106/changes?after=1&limit=1", agent.Token);
        Assert.Equal(3, limited.GetProperty("latestSequence").GetInt64());
        var only = Assert.Single(limited.GetProperty("manifests").EnumerateArray());
        Assert.Contains("\"sequence\":2", Encoding.UTF8.GetString(Convert.FromBase64String(only.GetProperty("payload").GetString()!)), StringComparison.Ordinal);
        using var zero = await server.GetAsync("/api/v1/feeds/test-entities/330106/changes?limit=0", agent.Token);
        await ProblemAssert.AssertAsync(zero, HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task A_region_in_scope_with_nothing_published_answers_sequence_0_and_no_manifests()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        var agent = await server.EnrollAgentAsync("330100");

        var empty = await AgentView.FeedAsync(server, agent, "330102");

        Assert.Equal(0, empty.GetProperty("latestSequence").GetInt64());
        Assert.Empty(empty.GetProperty("manifests").EnumerateArray());
        var feeds = await server.GetJsonAsync("/api/v1/feeds", agent.Token);
        Assert.Equal(["330106"], feeds.GetProperty("feeds").EnumerateArray().Select(f => f.GetProperty("region").GetString()));
    }
}
