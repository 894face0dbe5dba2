using System.Runtime.ExceptionServices;

namespace Gevent.Weaver.Tests;

/// <summary>
/// Runs a test body on a fresh thread, which becomes the main greenlet of a fresh hub, so tests
/// never share a hub (and its leftover greenlets) with each other or with xunit's own threads.
/// </summary>
internal static class HubTest
{
    public static void Run(Action body, int timeoutSeconds = 60)
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
}
