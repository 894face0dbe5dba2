using Gevent.TestCatalog;

namespace Gevent.Weaver.Tests;

/// <summary>Every patch shape, through the test catalog: the call reaches the replacement and behaves as the original.</summary>
public class CatalogShapeTests
{
    [Fact]
    public void VirtualInstanceConstructorAndGenericGetterSitesReachTheirReplacements()
    {
        var data = new byte[10];
        Assert.Equal(10, Reaches("Read", () => Woven.Call("Streams", "ReadAll", new MemoryStream(data))));
        Assert.Equal(10, Reaches("Read", () => Woven.Call("Streams", "Generic", new MemoryStream(data))));
        Assert.Equal(10, Reaches("Read", () => Woven.Call("Streams", "MethodGroup", new MemoryStream(data))));
        Assert.Equal(10, Reaches("Dispose", () => Woven.Call("Streams", "UsingDispose", data)));
        Assert.Equal(nameof(CooperativeMemoryStream), Reaches("NewMemoryStream", () => Woven.Call("Streams", "ConstructedType", data)));
        Reaches("Wait", () => Woven.Call("Receivers", "WaitFor", new ManualResetEventSlim(true)));
        Assert.Equal("published", Reaches("VolatileRead", () => Woven.Call("Receivers", "ReadPublished")));
        var receivers = Activator.CreateInstance(Woven.Assembly.GetType("AssemblyToProcess.Receivers")!)!;
        Assert.Equal(42, Reaches("Value", () => receivers.GetType().GetProperty("LazyAnswer")!.GetValue(receivers)));
    }

    [Fact]
    public void ACallNamingADerivedTypeMatchesOverridesButNotHidingMembers()
    {
        var rewritten = Woven.Result.Messages.Select(m => m.Text).Where(t => t.Contains(" -> ")).ToList();
        Assert.Contains(rewritten, t => t.Contains("Streams.BaseRead") && t.Contains("TestPatches::Read"));
        Assert.DoesNotContain(rewritten, t => t.Contains("Streams.HiddenRead"));
        Assert.Equal(-1, Woven.Call("Streams", "HiddenRead"));
    }

    [Fact]
    public void SkippedSitesStillRunTheOriginal()
    {
        Assert.Equal(10, Woven.Call("Streams", "BaseRead", new byte[10]));
        Assert.Equal(1, Woven.Call("Receivers", "StructUsing"));
    }

    private static object? Reaches(string replacement, Func<object?> call)
    {
        var before = PatchCalls.Count(replacement);
        var result = call();
        Assert.True(PatchCalls.Count(replacement) > before, $"{replacement} was not called");
        return result;
    }
}
