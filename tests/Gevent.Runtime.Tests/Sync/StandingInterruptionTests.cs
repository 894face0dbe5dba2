using System.Diagnostics;

namespace Gevent.Tests.Sync;

/// <summary>
/// Kills and timeouts around code that catches everything: wraps the interruption, replaces it, or
/// swallows it and blocks again. The meaning must survive (killed, timed out), and nothing may block on.
/// </summary>
public class StandingInterruptionTests
{
    private static readonly TimeSpan s_long = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(50);

    [Fact]
    public void AKilledGreenletThatSwallowsTheKillAndBlocksAgainIsInterruptedAgain()
    {
        HubTest.Run(() =>
        {
            var interruptions = 0;
            var finished = false;
            var greenlet = Greenlet.Spawn(() =>
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        Greenlet.Sleep(s_long);
                    }
                    catch (Exception)
                    {
                        interruptions++;
                    }
                }

                finished = true;
            });
            Greenlet.Sleep(s_short);
            var stopwatch = Stopwatch.StartNew();
            greenlet.Kill();

            Assert.True(greenlet.Dead);
            Assert.True(stopwatch.Elapsed < s_long / 2, $"the kill took {stopwatch.Elapsed}: a swallowed kill let the greenlet block on");
            Assert.Equal(3, interruptions);
            Assert.True(finished);
            Assert.True(greenlet.Successful);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AKilledGreenletWhoseKillWasWrappedOrReplacedEndsKilledNotFailed(bool keepInner)
    {
        HubTest.Run(() =>
        {
            var cleanedUp = false;
            var greenlet = Greenlet.Spawn(() =>
            {
                try
                {
                    CatchAll.Call(() => Greenlet.Sleep(s_long), keepInner);
                }
                finally
                {
                    cleanedUp = true;
                }
            });
            Greenlet.Sleep(s_short);
            greenlet.Kill();

            Assert.True(greenlet.Successful, $"ended with {greenlet.Exception}");
            Assert.Null(greenlet.Exception);
            Assert.True(cleanedUp);
        });
    }

    [Fact]
    public void AGreenletThatFailsBeforeItsKillArrivesStillFails()
    {
        HubTest.Run(() =>
        {
            var greenlet = Greenlet.Spawn(() => throw new InvalidOperationException("its own failure"));
            Greenlet.Sleep(s_short);
            greenlet.Kill();
            Assert.IsType<InvalidOperationException>(greenlet.Exception);
        });
    }

    [Fact]
    public void AKillWithItsOwnExceptionEndsWithThatExceptionEvenWhenALibraryReplacedIt()
    {
        HubTest.Run(() =>
        {
            var kill = new InvalidOperationException("shutting down");
            var greenlet = Greenlet.Spawn(() => CatchAll.Call(() => Greenlet.Sleep(s_long), keepInner: false));
            Greenlet.Sleep(s_short);
            greenlet.Kill(kill);
            Assert.Same(kill, greenlet.Exception);
        });
    }

    [Fact]
    public void TheMainGreenletsKillIsThrownOnceSinceNoFunctionReturnEndsIt()
    {
        HubTest.Run(() =>
        {
            var main = Greenlet.Current;
            Greenlet.Spawn(() => main.Kill(block: false));
            Assert.Throws<GreenletExit>(() => Greenlet.Sleep(s_long));
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        });
    }

    [Theory]
    [InlineData(CatchAllStyle.Wrap)]
    [InlineData(CatchAllStyle.Replace)]
    [InlineData(CatchAllStyle.SwallowAndRetry)]
    public void RunAndTryRunReportTheirTimeoutWhateverTheLibraryMadeOfIt(CatchAllStyle style)
    {
        HubTest.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            Assert.False(GreenTimeout.TryRun(s_short, () => CatchAll.Call(style, s_long)));
            Assert.Equal(-1, GreenTimeout.Run(s_short, () => { CatchAll.Call(style, s_long); return 1; }, -1));
            var thrown = Assert.Throws<GreenTimeoutException>(() => GreenTimeout.Run(s_short, () => CatchAll.Call(style, s_long)));
            Assert.IsType<LibraryException>(thrown.InnerException);

            Assert.True(stopwatch.Elapsed < s_long / 2, $"took {stopwatch.Elapsed}: a swallowed timeout let the call block on");
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        });
    }

    [Fact]
    public void TheUsingFormTellsWhetherItsTimeoutFiredAndStandsUntilItsScopeEnds()
    {
        HubTest.Run(() =>
        {
            int interrupted = 0;
            using (var timeout = GreenTimeout.Start(s_short))
            {
                Assert.False(timeout.Expired);
                Assert.Throws<LibraryException>(() => CatchAll.Call(CatchAllStyle.Replace, s_long));
                Assert.True(timeout.Expired);

                // Still inside the scope: blocking again is interrupted again.
                try
                {
                    Greenlet.Sleep(s_long);
                }
                catch (GreenTimeoutException e) when (e.Timeout == timeout)
                {
                    interrupted++;
                }

                Assert.True(timeout.Expired);
            }

            Assert.Equal(1, interrupted);

            // Out of the scope, the greenlet blocks as usual.
            var stopwatch = Stopwatch.StartNew();
            Greenlet.Sleep(TimeSpan.FromMilliseconds(20));
            Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(19));
        });
    }

    [Fact]
    public void AnInnerTimeoutOnlyReportsItselfAndTheOuterStillFiresThroughTheLibrary()
    {
        HubTest.Run(() =>
        {
            // The outer fires first inside the library; the inner TryRun must not claim it.
            var innerResult = (bool?)null;
            var outerResult = GreenTimeout.TryRun(s_short, () =>
                innerResult = GreenTimeout.TryRun(s_long, () => CatchAll.Call(CatchAllStyle.Wrap, s_long)));
            Assert.False(outerResult);
            Assert.Null(innerResult);

            // The inner fires first: it reports itself, and the outer goes on undisturbed.
            var slept = false;
            Assert.True(GreenTimeout.TryRun(s_long, () =>
            {
                Assert.False(GreenTimeout.TryRun(s_short, () => CatchAll.Call(CatchAllStyle.Replace, s_long)));
                Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
                slept = true;
            }));
            Assert.True(slept);
        });
    }

    [Fact]
    public void ATimeoutNeverSwallowsAKill()
    {
        HubTest.Run(() =>
        {
            var timedOut = (bool?)null;
            var greenlet = Greenlet.Spawn(() => timedOut = GreenTimeout.TryRun(s_long, () => CatchAll.Call(CatchAllStyle.Wrap, s_long)));
            Greenlet.Sleep(s_short);
            greenlet.Kill();
            Assert.Null(timedOut);
            Assert.True(greenlet.Successful);
        });
    }

    public enum CatchAllStyle
    {
        Wrap,
        Replace,
        SwallowAndRetry,
    }

    private sealed class LibraryException(string message, Exception? inner = null) : Exception(message, inner);

    /// <summary>What drivers do around their I/O.</summary>
    private static class CatchAll
    {
        public static void Call(CatchAllStyle style, TimeSpan wait)
        {
            switch (style)
            {
                case CatchAllStyle.SwallowAndRetry:
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            Greenlet.Sleep(wait);
                            return;
                        }
                        catch (Exception)
                        {
                            // Retry, as a resilient client would.
                        }
                    }

                    throw new LibraryException("gave up after 3 attempts");
                default:
                    Call(() => Greenlet.Sleep(wait), keepInner: style == CatchAllStyle.Wrap);
                    return;
            }
        }

        public static void Call(Action io, bool keepInner)
        {
            try
            {
                io();
            }
            catch (Exception e)
            {
                throw keepInner ? new LibraryException("the call failed", e) : new LibraryException($"Socket.Read error: {e.Message}");
            }
        }
    }
}
