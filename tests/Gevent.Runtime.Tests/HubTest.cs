using System.Runtime.ExceptionServices;

namespace Gevent.Tests;

/// <summary>
/// Runs a test body on a fresh thread, which becomes the main greenlet of a fresh hub, so tests
/// never share a hub (and its leftover greenlets) with each other or with xunit's own threads.
/// </summary>
internal static class HubTest
{
    public static void Run(Action body, int timeoutSeconds = 60) => OnFreshThread(() =>
    {
        // Make this thread the hub's main greenlet now: replacements called before any other Gevent
        // use would otherwise see a plain thread and run the original.
        _ = Hub.Current;
        body();
    }, timeoutSeconds);

    /// <summary>Runs a body on a fresh thread that is not a greenlet (until the body makes it one).</summary>
    public static void OnPlainThread(Action body, int timeoutSeconds = 60) => OnFreshThread(body, timeoutSeconds);

    private static void OnFreshThread(Action body, int timeoutSeconds)
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
        Assert.True(thread.Join(TimeSpan.FromSeconds(timeoutSeconds)), $"the test body did not finish within {timeoutSeconds} s (a hang)");
        failure?.Throw();
    }

    /// <summary>Collects what the hub reports instead of printing it.</summary>
    public static List<(Greenlet? Greenlet, Exception Exception)> CaptureErrors()
    {
        var errors = new List<(Greenlet?, Exception)>();
        Hub.Current.ErrorHandler = (g, e) => errors.Add((g, e));
        return errors;
    }
}
