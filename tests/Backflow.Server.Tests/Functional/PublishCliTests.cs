using System.Text.Json;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

public sealed class PublishCliTests : IDisposable
{
    private readonly TempServerFolder _folder = new();

    [Fact]
    public async Task Publish_with_json_prints_the_result_and_exits_0()
    {
        var paths = _folder.NewPaths();
        var file = Write("changes.csv", TestRow.CsvOf(new TestRow("A", "甲", "330106"), new TestRow("B", "乙", "330108")));

        var (exit, output, error) = await CliRunner.RunAsync(paths, "publish", "--dataset", TestCatalog.Entities, "--file", file, "--publish-id", "cli-1", "--json");

        Assert.True(exit == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("cli-1", json.GetProperty("publishId").GetString());
        Assert.False(json.GetProperty("repeated").GetBoolean());
        Assert.Equal(
            [("330106", 1L, 1L, 0L), ("330108", 1L, 1L, 0L)],
            json.GetProperty("regions").EnumerateArray().Select(r => (r.GetProperty("region").GetString(), r.GetProperty("sequence").GetInt64(),
                r.GetProperty("upserts").GetInt64(), r.GetProperty("deletes").GetInt64())));
    }

    [Fact]
    public async Task A_rejected_publish_exits_1_with_its_problems()
    {
        var paths = _folder.NewPaths();
        var file = Write("changes.csv", TestCatalog.Header + "\nA,甲,33010,1.00,\n");

        var (exit, output, _) = await CliRunner.RunAsync(paths, "publish", "--dataset", TestCatalog.Entities, "--file", file, "--json");

        Assert.Equal(1, exit);
        var problems = JsonDocument.Parse(output).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!);
        Assert.Contains(problems, p => p.Contains("'33010' is not a region code", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("no-such-dataset", "unknown dataset 'no-such-dataset'")]
    [InlineData(TestCatalog.Entities, "does not exist")]
    public async Task A_bad_request_exits_2_with_one_readable_line(string dataset, string expected)
    {
        var paths = _folder.NewPaths();
        var file = dataset == TestCatalog.Entities ? _folder.PathOf("missing.csv") : Write("changes.csv", TestRow.CsvOf(new TestRow("A", "甲", "330106")));

        var (exit, _, error) = await CliRunner.RunAsync(paths, "publish", "--dataset", dataset, "--file", file);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text)
    {
        var path = _folder.PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }
}
