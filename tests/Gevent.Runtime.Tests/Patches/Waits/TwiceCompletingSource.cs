using System.Threading.Tasks.Sources;

namespace Gevent.Tests.Patches.Waits;

/// <summary>
/// A faulty value-task source, as a library might write one: it completes on a thread of its own and calls
/// the continuation twice. Records whether the second call threw (on that thread it would end the process).
/// </summary>
internal sealed class TwiceCompletingSource : IValueTaskSource<int>
{
    private readonly ManualResetEventSlim _calledTwice = new();
    private volatile bool _completed;

    public Exception? SecondCallFailure { get; private set; }

    public bool WaitForSecondCall(TimeSpan timeout) => _calledTwice.Wait(timeout);

    public int GetResult(short token) => 42;

    public ValueTaskSourceStatus GetStatus(short token) => _completed ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        new Thread(() =>
        {
            Thread.Sleep(50);
            _completed = true;
            continuation(state);
            try
            {
                continuation(state);
            }
            catch (Exception e)
            {
                SecondCallFailure = e;
            }

            _calledTwice.Set();
        }) { IsBackground = true }.Start();
}
