namespace Backflow.Server.Agents;

/// <summary>How problems name an agent's fields: command-line options for `agents add`, columns for a batch file.</summary>
internal sealed record AgentFields(string Name, string Regions, string ApprovedBy)
{
    public static readonly AgentFields Options = new("--name", "--regions", "with --approved-by \"<name or approval document number>\"");

    public static readonly AgentFields Columns = new("column name", "column regions", "in the approved_by column (a name or approval document number)");
}
