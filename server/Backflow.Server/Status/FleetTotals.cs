namespace Backflow.Server.Status;

/// <summary>Counts over the fleet: agents, agents seen recently, feeds, and feeds per state.</summary>
internal sealed record FleetTotals(int Agents, int AgentsSeen, int Feeds, int Current, int Behind, int Late, int Blocked, int NeverSynced, long LagExtracts);
