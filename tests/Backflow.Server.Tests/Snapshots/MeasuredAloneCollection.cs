namespace Backflow.Server.Tests.Snapshots;

/// <summary>
/// Tests that measure the process's managed heap run in this collection, which xunit runs with no other test of the
/// assembly beside it: the heap is process-wide, and another test class allocating in parallel once pushed the
/// snapshot's measured peak from well under its 160 MB ceiling to 189 MB.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection
{
    public const string Name = "measured alone";
}
