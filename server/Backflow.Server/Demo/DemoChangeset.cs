namespace Backflow.Server.Demo;

/// <summary>One publish of the demo: a changes CSV and, when rows are withdrawn, a deletes CSV of keys.</summary>
internal sealed record DemoChangeset(string Dataset, string Description, string Changes, string? Deletes = null);
