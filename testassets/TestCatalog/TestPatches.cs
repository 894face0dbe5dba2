using Gevent.Patches;

namespace Gevent.TestCatalog;

/// <summary>One replacement per patch shape; each counts its call, then does what the original does.</summary>
public static class TestPatches
{
    /// <summary>Virtual: <see cref="Stream.Read(byte[], int, int)"/> through any stream type.</summary>
    [Patch(typeof(Stream), nameof(Stream.Read), PatchKind.Virtual, PatchStrategy.Offload)]
    public static int Read(Stream stream, byte[] buffer, int offset, int count)
    {
        PatchCalls.Record(nameof(Read));
        return stream.Read(buffer, offset, count);
    }

    /// <summary>Virtual on an interface: reached with <c>callvirt</c>, refused behind <c>constrained.</c>.</summary>
    [Patch(typeof(IDisposable), nameof(IDisposable.Dispose), PatchKind.Virtual, PatchStrategy.Hub)]
    public static void Dispose(IDisposable disposable)
    {
        PatchCalls.Record(nameof(Dispose));
        disposable.Dispose();
    }

    /// <summary>Instance: <see cref="ManualResetEventSlim.Wait()"/>.</summary>
    [Patch(typeof(ManualResetEventSlim), nameof(ManualResetEventSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void Wait(ManualResetEventSlim handle)
    {
        PatchCalls.Record(nameof(Wait));
        handle.Wait();
    }

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
