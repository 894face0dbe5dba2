using System.Reflection;
using Xunit.Sdk;

[assembly: Gevent.Tests.NoHubLeftOnTestThread]

namespace Gevent.Tests;

/// <summary>
/// Fails a test that leaves xunit's own thread as a hub's main greenlet (by touching <c>Hub.Current</c>,
/// <c>Greenlet.Sleep</c> or a primitive outside <see cref="HubTest"/>): later tests on that thread would
/// otherwise see replacements cooperate where they must behave as the originals.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method)]
internal sealed class NoHubLeftOnTestThreadAttribute : BeforeAfterTestAttribute
{
    // t_: thread-static, a prefix the naming rules cannot tell from a plain static's.
#pragma warning disable IDE1006
    [ThreadStatic]
    private static bool t_cleanBefore;
#pragma warning restore IDE1006

    public override void Before(MethodInfo methodUnderTest) => t_cleanBefore = Hub.CurrentGreenletOrNull is null;

    public override void After(MethodInfo methodUnderTest)
    {
        // Only the test that made the thread a hub's fails; the ones after it would only repeat the news.
        if (t_cleanBefore && Hub.CurrentGreenletOrNull is { } greenlet)
        {
            throw new InvalidOperationException(
                $"{methodUnderTest.DeclaringType?.Name}.{methodUnderTest.Name} left xunit's thread as greenlet '{greenlet.Name}' of hub {greenlet.Hub.Id}; run hub code inside HubTest.Run.");
        }
    }
}
