namespace Backflow.Agent.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void The_agent_assembly_loads()
    {
        Assert.Equal("backflow-agent", typeof(Backflow.Agent.AgentMarker).Assembly.GetName().Name);
    }
}
