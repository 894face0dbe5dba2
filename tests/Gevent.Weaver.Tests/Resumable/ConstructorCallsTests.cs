using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// A constructor whose calls run no code of the set that waits inside it (testassets/ResumableCases/Connectors.cs: a
/// constrained <c>ToString</c> on an enum, a timer whose callback waits, <c>Channel.CreateUnbounded&lt;T&gt;</c> and
/// <c>CreateLogger&lt;T&gt;</c> over its own type) cannot suspend: its <c>newobj</c> is no site, the enum's
/// <c>ToString</c> pins no method, and the waits around them run stackless with the original's log.
/// </summary>
public sealed class ConstructorCallsTests
{
    /// <summary>The methods of Connectors.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten = ["ConnectorRuns::Run", "Connector::Open", "Connector::GetService", "Connector::KeepAlive"];

    [Fact]
    public void TheConstructorCannotSuspendAndItsCallerLinksEverySite()
    {
        var methods = WovenResumable.Suspendable();

        Assert.DoesNotContain("ResumableCases.Connector::.ctor", methods.Keys);
        Assert.DoesNotContain("ResumableCases.Connector::set_Phase", methods.Keys);
        Assert.DoesNotContain("ResumableCases.Connector::PhaseHash", methods.Keys);
        var run = methods["ResumableCases.ConnectorRuns::Run"];
        Assert.All(run.Sites, s => Assert.Equal((null, 0), (s.Unlinked, s.Reasons.Count)));
        Assert.Equal(["ResumableCases.Connector::Open"], run.Sites.Select(s => s.Callee.Split(' ')[1].Split('(')[0]));
        Assert.Equal([], methods["ResumableCases.Connector::GetService"].Sites.SelectMany(s => s.Reasons));
    }

    [Fact]
    public void WaitsAfterTheConstructorRunStacklessWithTheOriginalsLog()
    {
        var original = new ConnectorRuns();
        original.Run();
        Assert.Equal(["made, 0 quiet", "waiting in Made", "waiting in Made", "opened, Ready"], original.Log);
        HubTest.Run(() =>
        {
            var (woven, greenlet, turns) = StacklessTurns.RunWoven(typeof(ConnectorRuns), nameof(ConnectorRuns.Run));

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, WovenResumable.Result(woven));
            Assert.Equal(2, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }
}
