using System.Reflection;
using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Resumable frames around exception handlers (testassets/ResumableCases/Handlers.cs): every body of the matrix
/// (try/catch, try/finally, try/catch/finally, nesting, filters, loops) × where it throws (nowhere, before the
/// suspension, after the resume, in an enclosing block) runs woven in a stackless greenlet and must log and throw
/// exactly what the original does on a plain thread; suspensions inside a handler pin there, and the method's other
/// suspensions stay stackless.
/// </summary>
public sealed class ExceptionHandlerTests
{
    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var body in Handlers.Bodies)
        {
            foreach (var throwAt in Handlers.ThrowPoints)
            {
                data.Add(body, throwAt);
            }
        }

        return data;
    }

    public static TheoryData<string, string> HandlerMatrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var body in Handlers.HandlerBodies)
        {
            foreach (var throwAt in Handlers.ThrowPoints)
            {
                data.Add(body, throwAt);
            }
        }

        return data;
    }

    [Fact]
    public void EveryBodyOfTheMatrixIsRewrittenAndTheHandlerSuspensionsAreNot()
    {
        var type = WovenResumable.TypeOf(typeof(Handlers));
        bool Marked(string name) => type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!
            .CustomAttributes.Any(a => a.AttributeType == typeof(ResumableAttribute));

        Assert.All(Handlers.Bodies.Concat(Handlers.HandlerBodies).Append(nameof(Handlers.ThenSuspendInHandlers)).Append(nameof(Handlers.ParkInNestedTry)), name => Assert.True(Marked(name), name + " is not rewritten"));
        Assert.False(Marked(nameof(Handlers.SuspendInFinally)));
        Assert.False(Marked(nameof(Handlers.SuspendInCatch)));
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void AWovenBodyLogsAndThrowsWhatTheOriginalDoes(string body, string throwAt)
    {
        var original = new Handlers(throwAt);
        var expectedError = Run(() => typeof(Handlers).GetMethod(body)!.Invoke(original, null));
        HubTest.Run(() =>
        {
            var woven = WovenResumable.Handlers(throwAt);
            var log = WovenResumable.Log(woven);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, body));
            Greenlet.Yield();
            var atFirstSwitch = log.ToList();
            var runInfo = Hub.Current.FormatRunInfo();
            greenlet.Join();

            Assert.Equal(original.Log, log);
            Assert.Equal(expectedError?.GetType(), greenlet.Exception?.GetType());
            Assert.Equal(expectedError?.Message, greenlet.Exception?.Message);
            if (original.Log.Contains("yield"))
            {
                // The greenlet gave the hub back at its first suspension, inside the try: nothing ran past it, no
                // finally or filter ran on the way out, and it held no thread meanwhile.
                Assert.Equal(original.Log.Take(original.Log.IndexOf("yield") + 1), atFirstSwitch);
                Assert.Contains(", stackless", runInfo, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(HandlerMatrix))]
    public void ASuspensionInsideAHandlerPinsThereAloneAndTheOthersStayStackless(string body, string throwAt)
    {
        var original = new Handlers(throwAt);
        var expectedError = Run(() => typeof(Handlers).GetMethod(body)!.Invoke(original, null));
        // The handler's own yield: a finally always runs; a catch only when the try block threw.
        var pinned = body == nameof(Handlers.SuspendInTryAndFinally) || throwAt is "before" or "after" ? 1 : 0;
        HubTest.Run(() =>
        {
            var woven = WovenResumable.Handlers(throwAt);
            var log = WovenResumable.Log(woven);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, body));
            var stackless = StacklessTurns.YieldUntilDead(greenlet);

            Assert.Equal(original.Log, log);
            Assert.Equal(expectedError?.GetType(), greenlet.Exception?.GetType());
            Assert.Equal(expectedError?.Message, greenlet.Exception?.Message);
            var runInfo = Hub.Current.FormatRunInfo();
            if (pinned == 0)
            {
                Assert.DoesNotContain("pins:", runInfo, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("pins: UnwovenFrame " + pinned, runInfo, StringComparison.Ordinal);
            }

            // Every other yield the original made suspended stacklessly.
            Assert.Equal(original.Log.Count(l => l == "yield") - pinned, stackless);
        });
    }

    [Fact]
    public void AnExceptionThrownAfterAResumeKeepsTheWovenFramesInItsStackTrace()
    {
        HubTest.Run(() =>
        {
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(WovenResumable.Handlers("outer"), nameof(Handlers.NestedInTry)));
            greenlet.Join();
            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());

            var escaping = ResumableGreenlet.Spawn(WovenResumable.Body(WovenResumable.Handlers("after"), nameof(Handlers.TryFinally)));
            escaping.Join();
            Assert.Equal("after", Assert.IsType<InvalidOperationException>(escaping.Exception).Message);
            Assert.Contains("Handlers.TryFinally", escaping.Exception!.StackTrace, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void KillingAGreenletSuspendedInsideATryRunsItsFinallyOnce()
    {
        HubTest.Run(() =>
        {
            var woven = WovenResumable.Handlers("");
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(Handlers.ParkInNestedTry)));
            Greenlet.Yield();
            Assert.Contains(", stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            Assert.Equal(["parked"], WovenResumable.Log(woven));
            greenlet.Kill(new TimeoutException("stop"));

            Assert.True(greenlet.Dead);
            Assert.IsType<TimeoutException>(greenlet.Exception);
            // The kill surfaces at the resumed sleep inside both blocks: the catch does not take a TimeoutException.
            Assert.Equal(["parked", "inner finally", "outer finally"], WovenResumable.Log(woven));
        });
    }

    [Fact]
    public void SuspensionsInsideAFinallyOrACatchPinAndGiveTheOriginalsResults()
    {
        var original = new Handlers("before");
        original.ThenSuspendInHandlers();
        HubTest.Run(() =>
        {
            var woven = WovenResumable.Handlers("before");
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(Handlers.ThenSuspendInHandlers)));
            // The main greenlet stays ready, so each pinned yield switches away (and is counted).
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            while (!greenlet.Dead && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
            {
                Greenlet.Yield();
            }

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Contains("pins: UnwovenFrame 2", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    private static Exception? Run(Action body)
    {
        try
        {
            body();
            return null;
        }
        catch (TargetInvocationException e)
        {
            return e.InnerException;
        }
    }
}
