using System.Diagnostics;
using System.Reflection;
using Fody;

namespace Gevent.Weaver.Tests;

/// <summary>
/// testassets/CatchAllLibrary woven and called from greenlets: a client that wraps, one that replaces and one
/// that swallows and retries whatever its blocking call throws. Timeouts and kills keep their meaning through
/// all three, and none lets the call block on past them.
/// </summary>
public class CatchAllLibraryTests
{
    private const int Forever = 20_000;
    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(50);

    private static readonly Lazy<Assembly> s_woven = new(() =>
        new ModuleWeaver().ExecuteTestRun(Path.Combine(AppContext.BaseDirectory, "CatchAllLibrary.dll"), runPeVerify: false).Assembly);

    public static TheoryData<string> Styles => ["Wrapping", "Replacing", "Retrying"];

    [Theory]
    [MemberData(nameof(Styles))]
    public void TryRunAndRunReturnTheirTimeoutValueWhateverTheLibraryThrows(string style)
    {
        var call = Client(style);
        HubTest.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            Assert.False(GreenTimeout.TryRun(s_short, () => call(Forever)));
            Assert.Equal(-1, GreenTimeout.Run(s_short, () => call(Forever), -1));
            var thrown = Assert.Throws<GreenTimeoutException>(() => GreenTimeout.Run(s_short, () => { call(Forever); }));
            Assert.Equal("CatchAllLibrary.ClientException", thrown.InnerException?.GetType().FullName);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(Forever / 2000), $"took {stopwatch.Elapsed}: the library blocked on past its timeout");

            // A call that is not interrupted still returns its own value.
            Assert.Equal(1, GreenTimeout.Run(TimeSpan.FromSeconds(10), () => call(1), -1));
        });
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void TheUsingFormSaysItsTimeoutFiredThoughTheLibraryThrewItsOwnException(string style)
    {
        var call = Client(style);
        HubTest.Run(() =>
        {
            using var timeout = GreenTimeout.Start(s_short);
            var thrown = Assert.ThrowsAny<Exception>(() => call(Forever));
            Assert.Equal("CatchAllLibrary.ClientException", thrown.GetType().FullName);
            Assert.True(timeout.Expired);
        });
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void AGreenletKilledInsideTheLibraryEndsKilledAndItsFinallyRuns(string style)
    {
        var call = Client(style);
        HubTest.Run(() =>
        {
            var cleanedUp = false;
            var victim = Greenlet.Spawn(() =>
            {
                try
                {
                    call(Forever);
                }
                finally
                {
                    cleanedUp = true;
                }
            });
            Greenlet.Sleep(s_short);
            var stopwatch = Stopwatch.StartNew();
            victim.Kill(timeout: TimeSpan.FromSeconds(10));

            Assert.True(victim.Dead, "the kill did not end the greenlet");
            Assert.True(victim.Successful, $"ended failed, not killed: {victim.Exception}");
            Assert.True(cleanedUp);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the kill took {stopwatch.Elapsed}");
        });
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public void NestedTimeoutsEachClaimOnlyTheirOwnExpiry(string style)
    {
        var call = Client(style);
        HubTest.Run(() =>
        {
            // The outer fires inside the library: the inner TryRun, whose timeout did not fire, must not claim it.
            bool? inner = null;
            Assert.False(GreenTimeout.TryRun(s_short, () => inner = GreenTimeout.TryRun(TimeSpan.FromSeconds(30), () => call(Forever))));
            Assert.Null(inner);

            // The inner fires: it claims it, and the outer carries on to the end of its work.
            var carriedOn = false;
            Assert.True(GreenTimeout.TryRun(TimeSpan.FromSeconds(30), () =>
            {
                Assert.False(GreenTimeout.TryRun(s_short, () => call(Forever)));
                Assert.Equal(1, call(1));
                carriedOn = true;
            }));
            Assert.True(carriedOn);
        });
    }

    private static Func<int, int> Client(string style)
    {
        var method = s_woven.Value.GetType("CatchAllLibrary.Clients", throwOnError: true)!.GetMethod(style)!;
        return method.GetParameters().Length == 1
            ? method.CreateDelegate<Func<int, int>>()
            : milliseconds => (int)method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [milliseconds, 3], null)!;
    }
}
