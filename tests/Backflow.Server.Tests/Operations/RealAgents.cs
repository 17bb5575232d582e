using Backflow.Server.Agents;
using Backflow.Server.Demo;
using Backflow.Server.Tests.Functional.Kit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backflow.Server.Tests.Operations;

/// <summary>
/// Real agents for operations tests: created by an operator, enrolled over HTTP with their one-time code, and syncing
/// into their own SQLite files through the agent's services (the same <see cref="DemoAgent"/> the demo runs).
/// </summary>
internal static class RealAgents
{
    public static async Task<DemoAgent> EnrollAsync(BackflowServer server, string regions, params string[] datasets)
    {
        var name = "测试代理 " + regions;
        var added = server.Get<AgentRegistry>().Add(name, regions, datasets.Length == 0 ? [TestCatalog.Entities] : datasets, "批准文号-1", "test");
        var state = Path.Combine(server.Root, "agents", added.AgentId);
        return await DemoAgent.EnrollAsync(name, state, server.Http.BaseAddress!, added.EnrollmentCode, NullLoggerFactory.Instance, CancellationToken.None);
    }

    public static async Task SyncAsync(DemoAgent agent, long expectedExtracts)
    {
        var result = await agent.SyncAsync(CancellationToken.None);
        Assert.True(result.AllCurrent, $"{agent.Name}: {result}");
        Assert.Equal(expectedExtracts, result.Extracts);
    }

    /// <summary>Rows in the agent's own SQLite copy of a dataset (table name: the id with '_' for '-').</summary>
    public static long RowCount(DemoAgent agent, string dataset = TestCatalog.Entities)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + agent.DatabaseFile + ";Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{dataset.Replace('-', '_')}\"";
        return (long)command.ExecuteScalar()!;
    }
}
