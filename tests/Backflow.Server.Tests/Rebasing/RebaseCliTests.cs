using System.Text.Json;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;
using Backflow.Server.Catalog;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Backflow.Server.Rebasing;
using Backflow.Server.Tests.Functional.Kit;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Server.Tests.Rebasing;

/// <summary>Breaking catalog changes through the CLI: refused at publish with the command to run, then re-based.</summary>
public sealed class RebaseCliTests : IDisposable
{
    private readonly TempServerFolder _folder = new();

    [Fact]
    public async Task A_publish_under_a_changed_type_is_refused_naming_the_column_and_the_rebase_command_and_publishes_nothing()
    {
        var paths = await PublishedAsync();
        ChangeCatalog(paths, AmountAsString);

        var publish = await CliRunner.RunAsync(paths, "publish", "--dataset", TestCatalog.Entities, "--file", Write("more.csv", "id,name,region_code,amount,updated_at\nC,丙,330106,12.50,\n"));
        var snapshot = await CliRunner.RunAsync(paths, "snapshot", "--dataset", TestCatalog.Entities);
        var rebase = await CliRunner.RunAsync(paths, "rebase", "--dataset", TestCatalog.Entities);

        Assert.Equal(2, publish.Exit);
        Assert.Contains("column 'amount' changes type from decimal(18,2) to string", publish.Error, StringComparison.Ordinal);
        Assert.Contains("`backflow-server rebase --dataset test-entities --file <every live row under the new schema", publish.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was published", publish.Error, StringComparison.Ordinal);
        Assert.Equal(2, snapshot.Exit);
        Assert.Contains("backflow-server rebase --dataset test-entities --file", snapshot.Error, StringComparison.Ordinal);
        Assert.Equal(2, rebase.Exit);
        Assert.Contains("--file", rebase.Error, StringComparison.Ordinal);
        var feeds = await FeedsAsync(paths);
        Assert.All(feeds.EnumerateArray(), f => Assert.Equal(1L, f.GetProperty("latestSequence").GetInt64()));
        await using var services = new ServiceCollection().AddBackflowServer(paths).BuildServiceProvider();
        var pending = Assert.Single(PendingRebases.Find(services.GetRequiredService<MetadataDatabase>(), services.GetRequiredService<CatalogService>()));
        Assert.Equal(TestCatalog.Entities, pending.Dataset);
    }

    [Fact]
    public async Task A_removed_column_is_re_based_by_the_server_from_its_stored_rows_into_a_new_generation_with_snapshots()
    {
        var paths = await PublishedAsync();
        var narrow = ChangeCatalog(paths, WithoutUpdatedAt);

        var refused = await CliRunner.RunAsync(paths, "publish", "--dataset", TestCatalog.Entities, "--file", Write("more.csv", "id,name,region_code,amount\nC,丙,330106,1.00\n"));
        var (exit, output, error) = await CliRunner.RunAsync(paths, "rebase", "--dataset", TestCatalog.Entities, "--json");

        Assert.Equal(2, refused.Exit);
        Assert.Contains("run `backflow-server rebase --dataset test-entities`", refused.Error, StringComparison.Ordinal);
        Assert.True(exit == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("removed-columns", 1L, 2L, 3L), (result.GetProperty("reason").GetString(), result.GetProperty("oldSchemaVersion").GetInt64(),
            result.GetProperty("newSchemaVersion").GetInt64(), result.GetProperty("rows").GetInt64()));
        Assert.Contains("-column:updated_at:timestamp:null", result.GetProperty("change").GetString(), StringComparison.Ordinal);
        var snapshots = result.GetProperty("snapshots").EnumerateArray().ToDictionary(s => s.GetProperty("region").GetString()!);
        Assert.Equal(["330106", "330108"], snapshots.Keys.Order());
        Assert.All(snapshots.Values, s => Assert.Equal((2L, 2L), (s.GetProperty("sequence").GetInt64(), s.GetProperty("generation").GetInt64())));
        Assert.Equal(Checksum(narrow, ["A", "甲", "330106", 12.5m], ["B", "乙", "330106", null]).SumHex, snapshots["330106"].GetProperty("checksum").GetString());

        // Deltas go on under the new schema, in the new generation.
        var more = await CliRunner.RunAsync(paths, "publish", "--dataset", TestCatalog.Entities, "--file", Write("more.csv", "id,name,region_code,amount\nC,丙,330106,1.00\n"), "--json");
        Assert.True(more.Exit == 0, more.Error);
        var feed = (await FeedsAsync(paths)).EnumerateArray().Single(f => f.GetProperty("region").GetString() == "330106");
        Assert.Equal((3L, 2L), (feed.GetProperty("latestSequence").GetInt64(), feed.GetProperty("generation").GetInt64()));
    }

    [Fact]
    public async Task A_type_change_is_re_based_from_a_full_reload_and_shows_in_status_and_audit()
    {
        var paths = await PublishedAsync();
        var changed = ChangeCatalog(paths, AmountAsString);
        var bad = Write("bad.csv", "id,name,region_code,amount,updated_at\nA,甲,3301,x,\n");
        var full = Write("full.csv", "id,name,region_code,amount,updated_at\nA,甲,330106,十二元五角,\nD,丁,330110,,\n");

        var rejected = await CliRunner.RunAsync(paths, "rebase", "--dataset", TestCatalog.Entities, "--file", bad, "--json");
        var (exit, output, error) = await CliRunner.RunAsync(paths, "rebase", "--dataset", TestCatalog.Entities, "--file", full, "--json");

        Assert.Equal(1, rejected.Exit);
        Assert.Contains("not a region code", rejected.Output, StringComparison.Ordinal);
        Assert.True(exit == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("breaking-schema", 2L), (result.GetProperty("reason").GetString(), result.GetProperty("rows").GetInt64()));
        var snapshots = result.GetProperty("snapshots").EnumerateArray().ToDictionary(s => s.GetProperty("region").GetString()!);
        // 330108 had rows and has none now: an empty snapshot clears it at the agents. 330110 is new: generation 1.
        Assert.Equal((0L, 2L), (snapshots["330108"].GetProperty("rows").GetInt64(), snapshots["330108"].GetProperty("generation").GetInt64()));
        Assert.Equal((1L, 1L), (snapshots["330110"].GetProperty("sequence").GetInt64(), snapshots["330110"].GetProperty("generation").GetInt64()));
        Assert.Equal(Checksum(changed, ["A", "甲", "330106", "十二元五角", null]).SumHex, snapshots["330106"].GetProperty("checksum").GetString());

        var status = await CliRunner.RunAsync(paths, "status", "--json");
        var rebase = Assert.Single(JsonDocument.Parse(status.Output).RootElement.GetProperty("rebases").EnumerateArray());
        Assert.Equal(("breaking-schema", "test-entities", 2L), (rebase.GetProperty("reason").GetString(), rebase.GetProperty("dataset").GetString(), rebase.GetProperty("generation").GetInt64()));
        Assert.Equal(["330106", "330108", "330110"], rebase.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
        Assert.True(rebase.TryGetProperty("at", out _));
        var text = await CliRunner.RunAsync(paths, "status");
        Assert.Contains("breaking-schema", text.Output, StringComparison.Ordinal);
        var audit = await CliRunner.RunAsync(paths, "audit", "--json");
        Assert.Contains("rebase (breaking-schema): schema version 1 → 2", audit.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resync_is_recorded_in_the_rebase_history()
    {
        var paths = await PublishedAsync();

        var (exit, _, error) = await CliRunner.RunAsync(paths, "resync", "--dataset", TestCatalog.Entities, "--region", "330108");
        var status = await CliRunner.RunAsync(paths, "status", "--json");

        Assert.True(exit == 0, error);
        var rebase = Assert.Single(JsonDocument.Parse(status.Output).RootElement.GetProperty("rebases").EnumerateArray());
        Assert.Equal(("resync", 2L, 1L, 1L), (rebase.GetProperty("reason").GetString(), rebase.GetProperty("generation").GetInt64(),
            rebase.GetProperty("oldSchemaVersion").GetInt64(), rebase.GetProperty("newSchemaVersion").GetInt64()));
    }

    [Fact]
    public async Task A_rebase_from_a_missing_file_exits_2_naming_the_option_and_the_full_path_like_publish_does()
    {
        var paths = await PublishedAsync();
        var missing = _folder.PathOf("missing.csv");

        var rebase = await CliRunner.RunAsync(paths, "rebase", "--dataset", TestCatalog.Entities, "--file", missing);
        var publish = await CliRunner.RunAsync(paths, "publish", "--dataset", TestCatalog.Entities, "--file", missing);

        Assert.Equal(2, rebase.Exit);
        Assert.Equal($"error: --file: file '{missing}' does not exist", rebase.Error.Trim());
        Assert.Equal(publish.Error.Trim(), rebase.Error.Trim());
        Assert.All((await FeedsAsync(paths)).EnumerateArray(), f => Assert.Equal(1L, f.GetProperty("latestSequence").GetInt64()));
    }

    public void Dispose() => _folder.Dispose();

    private static string AmountAsString(string json) =>
        json.Replace("{ \"name\": \"amount\", \"type\": \"decimal(18,2)\", \"nullable\": true }", "{ \"name\": \"amount\", \"type\": \"string\", \"nullable\": true }", StringComparison.Ordinal);

    private static string WithoutUpdatedAt(string json) =>
        json.Replace(",\n    { \"name\": \"updated_at\", \"type\": \"timestamp\", \"nullable\": true }", string.Empty, StringComparison.Ordinal);

    private static RegionChecksum Checksum(DatasetDefinition dataset, params object?[][] rows)
    {
        var encoder = new CanonicalEncoder();
        return rows.Aggregate(RegionChecksum.Empty, (sum, row) => sum.Add(RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, row))));
    }

    private static async Task<JsonElement> FeedsAsync(ServerPaths paths)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={paths.MetadataDatabase};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT json_group_array(json_object('region', region, 'latestSequence', latest_sequence, 'generation', generation)) FROM feeds";
        return JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!).RootElement.Clone();
    }

    private async Task<ServerPaths> PublishedAsync()
    {
        var paths = _folder.NewPaths();
        var file = Write("changes.csv", "id,name,region_code,amount,updated_at\nA,甲,330106,12.50,2026-11-24T08:30:00.123456Z\nB,乙,330106,,\nE,戊,330108,3.00,\n");
        var (exit, _, error) = await CliRunner.RunAsync(paths, "publish", "--dataset", TestCatalog.Entities, "--file", file);
        Assert.True(exit == 0, error);
        return paths;
    }

    private static DatasetDefinition ChangeCatalog(ServerPaths paths, Func<string, string> change)
    {
        var file = Path.Combine(paths.CatalogDirectory, TestCatalog.Entities + ".json");
        var json = change(File.ReadAllText(file));
        Assert.NotEqual(File.ReadAllText(file), json);
        File.WriteAllText(file, json);
        return CatalogReader.Parse(json, file);
    }

    private string Write(string name, string text)
    {
        var path = _folder.PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }
}
