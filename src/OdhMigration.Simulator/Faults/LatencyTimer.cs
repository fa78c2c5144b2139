using System.Diagnostics;

namespace OdhMigration.Simulator.Faults;

/// <summary>
/// Waits for injected latency. Task.Delay rounds up to the runtime's timer tick, which is 4 ms on some kernels:
/// a requested 5 ms took 8, so every latency benchmark measured the simulator's rounding rather than the client.
/// One dedicated thread waits on the OS directly (about a tenth of a millisecond of slack) and releases each
/// waiter within half a millisecond of its deadline, so the mean delivered latency is the one asked for.
/// </summary>
internal static class LatencyTimer
{
    private static readonly long HalfMillisecond = Stopwatch.Frequency / 2000;
    private static readonly object Gate = new();
    private static readonly PriorityQueue<TaskCompletionSource, long> Due = new();
    private static Thread? _thread;

    public static Task Delay(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        // Continuations must not run on the timer thread: they would delay every other waiter.
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dueAt = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        lock (Gate)
        {
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "simulator latency timer" };
                _thread.Start();
            }

            Due.Enqueue(waiter, dueAt);
            Monitor.Pulse(Gate);
        }

        return cancellationToken.CanBeCanceled ? waiter.Task.WaitAsync(cancellationToken) : waiter.Task;
    }

    private static void Run()
    {
        lock (Gate)
        {
            while (true)
            {
                if (!Due.TryPeek(out _, out var dueAt))
                {
                    Monitor.Wait(Gate);
                    continue;
                }

                var remaining = dueAt - Stopwatch.GetTimestamp();
                if (remaining <= HalfMillisecond)
                {
                    Due.Dequeue().TrySetResult();
                    continue;
                }

                // Whole milliseconds, rounded: a waiter is released at most half a millisecond early or late.
                var milliseconds = (int)Math.Max(1, Math.Round(remaining * 1000.0 / Stopwatch.Frequency));
                Monitor.Wait(Gate, milliseconds);
            }
        }
    }
}
