using Gevent.Patches;

namespace Gevent.TestCatalog;

/// <summary>
/// One replacement per patch shape the runtime's own catalog does not cover (its socket and stream
/// patches now cover the virtual, interface and instance shapes: Stream.Read, IDisposable.Dispose,
/// ManualResetEventSlim.Wait); each counts its
/// call, then does what the original does.
/// </summary>
public static class TestPatches
{
    /// <summary>Getter on a generic type: <see cref="Lazy{T}.Value"/>.</summary>
    [Patch(typeof(Lazy<>), nameof(Lazy<int>.Value), PatchKind.Getter, PatchStrategy.Hub)]
    public static T Value<T>(Lazy<T> lazy)
    {
        PatchCalls.Record(nameof(Value));
        return lazy.Value;
    }

    /// <summary>A static generic method with a by-reference parameter: <see cref="Volatile.Read{T}(ref readonly T)"/>.</summary>
    [Patch(typeof(Volatile), nameof(Volatile.Read), PatchKind.Static, PatchStrategy.Hub)]
    public static T? VolatileRead<T>(ref readonly T? location)
        where T : class
    {
        PatchCalls.Record(nameof(VolatileRead));
        return Volatile.Read(in location);
    }

    /// <summary>Constructor: <c>new MemoryStream(byte[])</c> becomes a cooperative subclass.</summary>
    [Patch(typeof(MemoryStream), ".ctor", PatchKind.Constructor, PatchStrategy.Hub)]
    public static MemoryStream NewMemoryStream(byte[] buffer)
    {
        PatchCalls.Record(nameof(NewMemoryStream));
        return new CooperativeMemoryStream(buffer);
    }
}
