namespace Backflow.Agent.Cli;

/// <summary>What scripts and monitoring can rely on.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A feed is not current, or the operation failed (server refused, network down).</summary>
    public const int NotCurrent = 1;

    /// <summary>Wrong command line or configuration, or the agent is not enrolled.</summary>
    public const int UsageOrConfiguration = 2;
}
