using Backflow.Protocol.Catalog;
using Backflow.Server.Hosting;

namespace Backflow.Server.Agents;

/// <summary>The regulation's share attributes as rules: "none" is never granted, "conditional" only with a
/// recorded approval.</summary>
internal static class GrantPolicy
{
    public static void Check(DatasetDefinition dataset, string? approvedBy, AgentFields? fields = null)
    {
        switch (dataset.ShareType)
        {
            case ShareType.None:
                throw new UserError($"dataset '{dataset.Id}' ({dataset.Title}) has share type 'none' and can never be granted");
            case ShareType.Conditional when string.IsNullOrWhiteSpace(approvedBy):
                throw new UserError($"dataset '{dataset.Id}' ({dataset.Title}) is conditional; record who approved the grant {(fields ?? AgentFields.Options).ApprovedBy}");
        }
    }
}
