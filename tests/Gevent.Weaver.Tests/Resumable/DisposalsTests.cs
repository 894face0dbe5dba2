using System.Reflection;
using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Disposals around suspending calls (testassets/ResumableCases/Disposals.cs): a <c>Dispose</c> or <c>Close</c> in a
/// <c>using</c> block or a finally never waits (<c>[NeverWaits]</c> in the catalog), so the methods are rewritten, run
/// stackless and dispose as the originals do, whatever they throw; a finally that truly waits pins there (the method is
/// rewritten, that site left unlinked), and a disposable whose own <c>Dispose</c> waits still pins its method.
/// </summary>
public sealed class DisposalsTests
{
    /// <summary>The methods of Disposals.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten =
    [
        .. Disposals.Bodies.Append(nameof(Disposals.ParkInUsing)).Append(nameof(Disposals.DisposeThenWaitInFinally)).Select(m => "Disposals::" + m),
        "WaitingResource::Dispose",
    ];

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var body in Disposals.Bodies)
        {
            foreach (var throwAt in Disposals.ThrowPoints)
            {
                data.Add(body, throwAt);
            }
        }

        return data;
    }

    [Fact]
    public void ADisposeInAFinallyIsNoWaitButAWaitInAFinallyStillPins()
    {
        var type = WovenResumable.TypeOf(typeof(Disposals));
        Assert.All(Disposals.Bodies, name => Assert.True(Marked(type, name), name + " is not rewritten"));
        // Its wait in the finally is left unlinked and pins there alone; the one in its try block is linked.
        Assert.True(Marked(type, nameof(Disposals.DisposeThenWaitInFinally)));
        Assert.False(Marked(type, nameof(Disposals.UsingAWaitingDisposable)));
        Assert.False(Marked(type, nameof(Disposals.FinallyDisposesAnyDisposable)));

        var reasons = WovenResumable.PinReasons();
        Assert.All(Disposals.Bodies, name => Assert.Empty(reasons["ResumableCases.Disposals::" + name]));
        Assert.Equal([PinReason.InsideHandler], reasons["ResumableCases.Disposals::" + nameof(Disposals.DisposeThenWaitInFinally)]);
        // The using's Dispose runs WaitingResource.Dispose, which yields, under the catalog's replacement: an un-woven
        // frame, in a finally.
        Assert.Equal([PinReason.UnwovenFrame, PinReason.InsideHandler], reasons["ResumableCases.Disposals::" + nameof(Disposals.UsingAWaitingDisposable)].Order());
        Assert.Equal([PinReason.UnwovenFrame, PinReason.InsideHandler], reasons["ResumableCases.Disposals::" + nameof(Disposals.FinallyDisposesAnyDisposable)].Order());
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void AWovenBodyDisposesLogsAndThrowsWhatTheOriginalDoes(string body, string throwAt)
    {
        var original = new Disposals(throwAt);
        var expectedError = Run(() => typeof(Disposals).GetMethod(body)!.Invoke(original, null));
        HubTest.Run(() =>
        {
            var woven = WovenDisposals(throwAt);
            var log = WovenResumable.Log(woven);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, body));
            Greenlet.Yield();
            var atFirstSwitch = log.ToList();
            var runInfo = Hub.Current.FormatRunInfo();
            while (!greenlet.Dead)
            {
                Greenlet.Yield();
            }

            Assert.Equal(original.Log, log);
            Assert.Equal(expectedError?.GetType(), greenlet.Exception?.GetType());
            Assert.Equal(expectedError?.Message, greenlet.Exception?.Message);
            if (original.Log.Contains("yield"))
            {
                // Handed the hub back at its first suspension, inside the using or try: nothing disposed on the way out.
                Assert.Equal(original.Log.Take(original.Log.IndexOf("yield") + 1), atFirstSwitch);
                Assert.Contains(", stackless", runInfo, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void KillingAGreenletParkedInAUsingDisposesOnce()
    {
        HubTest.Run(() =>
        {
            var woven = WovenDisposals("");
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(Disposals.ParkInUsing)));
            Greenlet.Yield();
            Assert.Contains("waiting on Sleep(Infinite), stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            Assert.Equal(["parked"], WovenResumable.Log(woven));
            greenlet.Kill();

            Assert.True(greenlet.Dead);
            Assert.Equal(["parked", "dispose parked"], WovenResumable.Log(woven));
        });
    }

    [Fact]
    public void AFinallyThatWaitsAndADisposeThatWaitsPinAndGiveTheOriginalsResults()
    {
        foreach (var body in new[] { nameof(Disposals.DisposeThenWaitInFinally), nameof(Disposals.UsingAWaitingDisposable), nameof(Disposals.FinallyDisposesAnyDisposable) })
        {
            var original = new Disposals("");
            typeof(Disposals).GetMethod(body)!.Invoke(original, null);
            HubTest.Run(() =>
            {
                var woven = WovenDisposals("");
                var greenlet = Greenlet.Spawn(WovenResumable.Body(woven, body));
                while (!greenlet.Dead)
                {
                    Greenlet.Yield();
                }

                Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
                Assert.Equal(original.Log, WovenResumable.Log(woven));
            });
        }
    }

    private static object WovenDisposals(string throwAt) => Activator.CreateInstance(WovenResumable.TypeOf(typeof(Disposals)), throwAt)!;

    private static bool Marked(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!.CustomAttributes.Any(a => a.AttributeType == typeof(ResumableAttribute));

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
