using System.Security.Cryptography;
using System.Text;

namespace Backflow.Agent.Scheduling;

/// <summary>
/// A stable per-agent offset in seconds (0..599) so that a province's agents, all on the same ten-minute cron,
/// do not hit the server in the same second. Derived from the agent id with SHA-256 so it survives restarts and
/// reinstalls and spreads evenly; <see cref="string.GetHashCode()"/> is randomized per process and would not.
/// </summary>
internal static class AgentOffset
{
    public const int WindowSeconds = 600;

    public static int Seconds(string agentId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(agentId));
        return (int)(BitConverter.ToUInt32(hash, 0) % WindowSeconds);
    }
}
