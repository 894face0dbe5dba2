using System.Reflection;
using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Suspending calls with values below their arguments on the evaluation stack (testassets/ResumableCases/Spills.cs):
/// spilled and pushed again on resume, giving the original's results; a value of unknown type leaves the site out.
/// </summary>
public sealed class StackSpillTests
{
    [Fact]
    public void SitesWithKnownValuesBelowTheirArgumentsAreRewrittenAndOneWithANullLiteralIsNot()
    {
        var type = WovenResumable.TypeOf(typeof(Spills));
        bool Marked(string name) => type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!
            .CustomAttributes.Any(a => a.AttributeType == typeof(ResumableAttribute));

        Assert.True(Marked(nameof(Spills.Run)));
        Assert.False(Marked(nameof(Spills.LeftOut)));
    }

    [Fact]
    public void AWovenGreenletSuspendsWithValuesBelowTheCallAndComputesWhatTheOriginalDoes()
    {
        var original = new Spills(3);
        original.Run();
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(Spills)), 3)!;
            var log = WovenResumable.Log(woven);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(Spills.Run)));
            var switches = 0;
            while (!greenlet.Dead && switches < 1_000)
            {
                Greenlet.Yield();
                switches++;
                // Each turn of the main greenlet finds the woven one parked at its next call: one more "yield" logged.
                Assert.True(greenlet.Dead || log[^1].StartsWith("yield", StringComparison.Ordinal), string.Join(", ", log));
            }

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, log);
            Assert.Equal(original.Result, (double)woven.GetType().GetProperty(nameof(Spills.Result))!.GetValue(woven)!);
            Assert.Equal(original.Log.Count(l => l.StartsWith("yield", StringComparison.Ordinal)) + 1, switches);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }
}
