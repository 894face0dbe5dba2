using System.Runtime.ExceptionServices;

namespace Gevent.Runtime.Tests;

/// <summary>Runs a test body on a fresh thread, which becomes the main greenlet of a fresh hub.</summary>
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
        {
            IsBackground = true,
            Name = "HubTest body",
        };
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            Assert.Fail($"The test body did not finish within {timeoutSeconds} s.");
        }

        failure?.Throw();
    }
}
