using Quartz;

namespace Backflow.Agent.Tests.Scheduling;

/// <summary>Stands in for a long sync; records how many executions of its job key ever ran at once.</summary>
[DisallowConcurrentExecution]
internal sealed class SlowJob : IJob
{
    private static int _running;

    public static int MaxConcurrent;

    public static int Completed;

    public static TaskCompletionSource Release { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _running);
        InterlockedMax(now);
        await Release.Task.WaitAsync(cancellationToken);
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref Completed);
    }

    private static void InterlockedMax(int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref MaxConcurrent)) < value && Interlocked.CompareExchange(ref MaxConcurrent, value, seen) != seen)
        {
        }
    }
}
