using System.Runtime.ExceptionServices;

namespace Gevent.Tests;

/// <summary>
/// Runs a test body on a fresh thread, which becomes the main greenlet of a fresh hub, so tests
/// never share a hub (and its leftover greenlets) with each other or with xunit's own threads.
/// </summary>
internal static class HubTest
{
    public static void Run(Action body, int timeoutSeconds = 60)
    {
        Hub? hub = null;
        OnFreshThread(() =>
        {
            // Make this thread the hub's main greenlet now: replacements called before any other Gevent
            // use would otherwise see a plain thread and run the original.
            hub = Hub.Current;
            body();
        }, timeoutSeconds, () => DescribeHung(hub));
    }

    /// <summary>Runs a body on a fresh thread that is not a greenlet (until the body makes it one).</summary>
    public static void OnPlainThread(Action body, int timeoutSeconds = 60) => OnFreshThread(body, timeoutSeconds, () => string.Empty);

    private static void OnFreshThread(Action body, int timeoutSeconds, Func<string> describeHung)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        { IsBackground = true, Name = "test hub main" };
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            Assert.Fail($"the test body did not finish within {timeoutSeconds} s (a hang){describeHung()}");
        }

        failure?.Throw();
    }

    /// <summary>
    /// What a hung test's hub shows: its greenlets and what each waits on, asked for from here through the loop; or, if
    /// the loop runs nothing posted to it, that it is stuck (a thread blocked holding the baton, or a lost wake-up).
    /// </summary>
    private static string DescribeHung(Hub? hub)
    {
        if (hub is null)
        {
            return string.Empty;
        }

        var runInfo = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!hub.Loop.TryRunCallbackThreadSafe(() => Greenlet.Spawn(() => runInfo.TrySetResult(hub.FormatRunInfo()))))
        {
            return $"; {hub} is disposed";
        }

        return runInfo.Task.Wait(TimeSpan.FromSeconds(10))
            ? $"; its hub's greenlets:\n{runInfo.Task.Result}"
            : $"; {hub} ran no callback posted to it within 10 s: its loop is not turning (a thread blocked holding the baton, or a lost wake-up)";
    }

    /// <summary>Collects what the hub reports instead of printing it.</summary>
    public static List<(Greenlet? Greenlet, Exception Exception)> CaptureErrors()
    {
        var errors = new List<(Greenlet?, Exception)>();
        Hub.Current.ErrorHandler = (g, e) => errors.Add((g, e));
        return errors;
    }
}
