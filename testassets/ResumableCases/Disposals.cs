using System.Net.Sockets;

namespace ResumableCases;

/// <summary>
/// Disposals around suspending calls: <c>using</c> blocks over a socket and over disposables of the asset's own, and
/// finally blocks that dispose or close, each around a yield (a suspension in a greenlet). A <c>Dispose</c> or
/// <c>Close</c> never waits, so none of them keeps its method from being rewritten. Each body throws at the step
/// named by <c>throwAt</c> ("before" the first yield, "after" a resume, or none), so the woven and the original runs
/// can be compared, dispose order included.
/// </summary>
public sealed class Disposals(string throwAt) : ScriptedSteps(throwAt)
{
    /// <summary>The bodies the disposal matrix runs.</summary>
    public static readonly string[] Bodies =
    [
        nameof(UsingAround), nameof(UsingSocketAround), nameof(NestedUsings), nameof(FinallyDisposes), nameof(FinallyClosesSocket),
    ];

    /// <summary>The steps a body may throw at; "" throws nowhere.</summary>
    public static readonly string[] ThrowPoints = ["", "before", "after"];

    public void UsingAround()
    {
        using (new Resource("a", Log))
        {
            Step("before");
            Suspend();
            Step("after");
        }

        Log.Add("end");
    }

    public void UsingSocketAround()
    {
        var kept = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using (var socket = kept)
        {
            Log.Add("open " + (socket.Handle != IntPtr.Zero));
            Step("before");
            Suspend();
            Step("after");
        }

        Log.Add("closed " + IsClosed(kept));
    }

    /// <summary>Two <c>using</c> declarations: disposed in reverse order, after a suspension in the innermost.</summary>
    public void NestedUsings()
    {
        using var outer = new Resource("outer", Log);
        Suspend();
        using var inner = new Resource("inner", Log);
        Step("before");
        Suspend();
        Step("after");
        Log.Add("end");
    }

    /// <summary>
    /// Disposes through <c>IDisposable</c> (the catalog's replacement), a receiver whose type has no <c>Dispose</c> that
    /// waits: <see cref="WaitingResource"/>'s, which does, is no candidate.
    /// </summary>
    public void FinallyDisposes()
    {
        var resource = new Resource("r", Log);
        try
        {
            Step("before");
            Suspend();
            Step("after");
        }
        finally
        {
            ((IDisposable)resource).Dispose();
            Log.Add("finally");
        }

        Log.Add("end");
    }

    public void FinallyClosesSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            Step("before");
            Suspend();
            Step("after");
        }
        finally
        {
            socket.Close();
            Log.Add("closed " + IsClosed(socket));
        }
    }

    /// <summary>Parks inside a <c>using</c> block until killed: its disposable must be disposed once.</summary>
    public void ParkInUsing()
    {
        using var resource = new Resource("parked", Log);
        Log.Add("parked");
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>A finally that disposes and then truly waits: that wait is inside a handler, so it pins there (left unlinked).</summary>
    public void DisposeThenWaitInFinally()
    {
        var resource = new Resource("r", Log);
        try
        {
            Suspend();
        }
        finally
        {
            resource.Dispose();
            Suspend();
        }
    }

    /// <summary>A <c>using</c> over a disposable whose <c>Dispose</c> waits: that wait runs under the replacement of <c>Dispose</c>, so the method pins.</summary>
    public void UsingAWaitingDisposable()
    {
        using (new WaitingResource(Log))
        {
            Suspend();
        }
    }

    /// <summary>
    /// Disposes an <c>IDisposable</c> of no known type in a finally: it may be a <see cref="WaitingResource"/>, whose
    /// <c>Dispose</c> waits, so the method pins although this one is a <see cref="Resource"/>.
    /// </summary>
    public void FinallyDisposesAnyDisposable()
    {
        IDisposable resource = new Resource("any", Log);
        try
        {
            Suspend();
        }
        finally
        {
            resource.Dispose();
        }
    }

    private static bool IsClosed(Socket socket)
    {
        try
        {
            _ = socket.Available;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }
}

/// <summary>A disposable that logs its disposal.</summary>
public sealed class Resource(string name, List<string> log) : IDisposable
{
    public void Dispose() => log.Add("dispose " + name);
}

/// <summary>A disposable whose disposal yields, as a writer flushing into a green stream would wait.</summary>
public sealed class WaitingResource(List<string> log) : IDisposable
{
    public void Dispose()
    {
        Thread.Yield();
        log.Add("disposed after a yield");
    }
}
