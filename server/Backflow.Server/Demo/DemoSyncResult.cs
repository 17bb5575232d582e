namespace Backflow.Server.Demo;

/// <summary>What one sync of an in-process agent did, in words for the demo's console and numbers for tests.</summary>
internal sealed record DemoSyncResult(int Feeds, int Current, long Extracts, long Rows, IReadOnlyList<string> Errors)
{
    public bool AllCurrent => Errors.Count == 0 && Current == Feeds;

    public override string ToString() =>
        $"{Current}/{Feeds} feeds current, {Extracts} extract(s), {Rows} row(s) applied" + (Errors.Count == 0 ? string.Empty : "; " + string.Join("; ", Errors));
}
