using Backflow.Server.Publishing;

namespace Backflow.Server.Tests.Publishing;

/// <summary>
/// The commit loop takes region batches in order while <see cref="FinishAhead"/> finishes the next few in parallel:
/// never more than its window at once, each batch once, and after a failure nothing is left running that the publish
/// would dispose under it.
/// </summary>
public sealed class FinishAheadTests
{
    [Fact]
    public async Task Batches_finish_in_parallel_within_the_window_and_each_exactly_once()
    {
        const int Count = 40, Window = 3;
        var running = 0;
        var mostAtOnce = 0;
        var finished = new int[Count];
        var ahead = new FinishAhead(Count, async i =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            await Task.Delay(5);
            Interlocked.Increment(ref finished[i]);
            Interlocked.Decrement(ref running);
        }, Window);

        for (var i = 0; i < Count; i++)
        {
            await ahead.FinishedAsync(i).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, finished[i]);
        }

        Assert.All(finished, n => Assert.Equal(1, n));
        // Parallel, and bounded: with 5 ms each, 40 batches one at a time would never overlap.
        Assert.InRange(mostAtOnce, 2, Window);
    }

    [Fact]
    public async Task A_failing_batch_fails_its_own_wait_and_settling_waits_for_the_batches_still_running()
    {
        using var release = new SemaphoreSlim(0);
        var completed = 0;
        var ahead = new FinishAhead(10, async i =>
        {
            if (i == 0)
            {
                throw new IOException("disk full while writing the footer");
            }

            await release.WaitAsync();
            Interlocked.Increment(ref completed);
        }, 4);

        var error = await Assert.ThrowsAsync<IOException>(() => ahead.FinishedAsync(0));
        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);

        // Batches 1-3 were started with batch 0 and are still running: settling must wait for them, and only them.
        var settling = ahead.SettleAsync();
        await Task.Delay(100);
        Assert.False(settling.IsCompleted);
        release.Release(3);
        await settling.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, completed);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
