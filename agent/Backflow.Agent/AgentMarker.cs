namespace Backflow.Agent;

/// <summary>Anchors the agent assembly for tests until the real types land.</summary>
internal static class AgentMarker;
