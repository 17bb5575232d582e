namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>The cut budget of the response in flight on one proxied connection.</summary>
internal sealed class ProxyConnection
{
    private readonly Lock _gate = new();
    private long? _budget;
    private int _armedCount;

    /// <summary>Alternates between a reset and a clean close, so that the agent meets both kinds of broken body.</summary>
    public bool ResetOnCut
    {
        get
        {
            lock (_gate)
            {
                return _armedCount % 2 == 0;
            }
        }
    }

    public void Arm(long? budget)
    {
        lock (_gate)
        {
            _budget = budget;
            _armedCount += budget is null ? 0 : 1;
        }
    }

    /// <summary>How many of <paramref name="count"/> bytes may pass before the cut.</summary>
    public int Take(int count)
    {
        lock (_gate)
        {
            if (_budget is not { } budget)
            {
                return count;
            }

            var allowed = (int)Math.Min(count, budget);
            _budget = budget - allowed;
            return allowed;
        }
    }
}
