using System.Collections.Concurrent;

namespace Backflow.Server.Security;

/// <summary>
/// Resolved bearer tokens, keyed by token hash, each stamped with the security generation read before it was looked
/// up. An entry is used only while the generation is unchanged, so a revocation, grant change or re-enrollment —
/// committed by this server or by a CLI in another process — takes effect on the very next request. Unknown tokens are
/// not cached: random guesses must not grow memory.
/// </summary>
internal sealed class CallerCache
{
    /// <summary>Far above any real fleet; past it the cache starts over rather than grow without bound.</summary>
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (long Generation, Caller Caller)> _entries = new(StringComparer.Ordinal);

    public Caller? Find(string tokenHash, long generation) =>
        _entries.TryGetValue(tokenHash, out var entry) && entry.Generation == generation ? entry.Caller : null;

    public void Add(string tokenHash, long generation, Caller caller)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[tokenHash] = (generation, caller);
    }
}
