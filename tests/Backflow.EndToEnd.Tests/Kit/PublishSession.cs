using System.Text;

namespace Backflow.EndToEnd.Tests.Kit;

/// <summary>Publishes CSV changesets through the real server CLI and keeps the expected rows in step.</summary>
internal sealed class PublishSession(ServerProcess server, ExpectedRows expected)
{
    private int _count;

    public async Task PublishAsync(IReadOnlyList<string?[]> upserts, IReadOnlyList<long>? deletes = null)
    {
        var n = ++_count;
        var changes = Path.Combine(server.Root, $"changes-{n}.csv");
        await File.WriteAllTextAsync(changes, AllTypesDataset.Csv(upserts), new UTF8Encoding(false));
        var args = new List<string> { "publish", "--dataset", AllTypesDataset.Id, "--file", changes };
        if (deletes is { Count: > 0 })
        {
            var file = Path.Combine(server.Root, $"deletes-{n}.csv");
            await File.WriteAllTextAsync(file, "id\n" + string.Join('\n', deletes) + "\n", new UTF8Encoding(false));
            args.AddRange(["--deletes", file]);
        }

        await server.CliJsonAsync([.. args]);
        foreach (var row in upserts)
        {
            expected.Upsert(row);
        }

        foreach (var id in deletes ?? [])
        {
            expected.Delete(id);
        }
    }
}
