using System.Diagnostics;
using System.Net.Sockets;
using Gevent.CompilerServices;
using Gevent.Loop;

namespace Gevent.Patches;

/// <summary>
/// The one loop every cooperative socket call runs through: try the call non-blocking; on would-block,
/// park the greenlet on the socket's io watcher and retry; honour the socket's timeout; report a close.
/// </summary>
/// <remarks>
/// <para>
/// Why the call is made non-blocking by flipping <see cref="Socket.Blocking"/> around each attempt: on
/// Linux, .NET sets a socket's descriptor <c>O_NONBLOCK</c> for good the first time anything non-blocking
/// or async touches it, and from then on *emulates* blocking sync calls by parking the calling OS thread
/// in its own engine — which would stall the whole hub. <see cref="Socket.Blocking"/> is only the
/// user-visible flag on top: with it false, the call does one non-blocking syscall and returns
/// <see cref="SocketError.WouldBlock"/>. The first flip costs one <c>fcntl</c> per socket; after that a
/// false/true pair is managed code only (~115 ns, no syscall). Checking readiness first instead
/// (<c>Poll(0)</c>, <c>Available</c>) costs a syscall (~0.8 µs) on every call and still cannot make a
/// large <c>Send</c> safe (writable does not mean room for all of it).
/// </para>
/// <para>
/// A socket the user made non-blocking is left alone (<see cref="ShouldCooperate"/>): the BCL call then
/// returns or throws <see cref="SocketError.WouldBlock"/> itself, exactly as without Gevent.
/// </para>
/// </remarks>
internal static class CooperativeSocket
{
    /// <summary>
    /// One non-blocking try. Reports would-block either as <paramref name="error"/> or by throwing a
    /// <see cref="SocketException"/> with <see cref="SocketError.WouldBlock"/> (the BCL calls without an
    /// <c>out SocketError</c> overload); any other exception ends the call.
    /// </summary>
    internal delegate TResult Attempt<TState, TResult>(Socket socket, ref TState state, out SocketError error)
        where TState : allows ref struct;

    /// <summary>
    /// True in a greenlet that may park, on a socket the user left blocking. A null socket throws
    /// <see cref="NullReferenceException"/>, as the original instance call would.
    /// Off a greenlet the socket is recorded as used by an OS thread (see <see cref="ThreadSharedSockets"/>).
    /// </summary>
    internal static bool ShouldCooperate(Socket socket)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            ThreadSharedSockets.MarkUsedByThread(socket);
            return false;
        }

        return socket.Blocking;
    }

    /// <summary>
    /// Throws <see cref="ObjectDisposedException"/> if <paramref name="socket"/> is disposed. The
    /// <see cref="Socket.Blocking"/> setter is the public member that checks this without a syscall; it
    /// changes nothing on a socket <see cref="ShouldCooperate"/> accepted.
    /// </summary>
    internal static void ThrowIfDisposed(Socket socket) => socket.Blocking = true;

    /// <summary>Throws the <see cref="SocketException"/> the BCL throws for <paramref name="error"/>, if any.</summary>
    internal static void ThrowIfFailed(SocketError error)
    {
        if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it does not would-block. On timeout <paramref name="error"/> is
    /// <see cref="SocketError.TimedOut"/> and the last attempt's result is returned; when the socket is closed
    /// while waiting it is the error the BCL's blocked call gets, with the default result.
    /// </summary>
    internal static TResult Run<TState, TResult>(Socket socket, SocketOperation operation, ref TState state, Attempt<TState, TResult> attempt, out SocketError error)
        where TState : allows ref struct
    {
        var nothingDone = 0;
        return Run(socket, operation, ref state, ref nothingDone, attempt, out error);
    }

    /// <summary>
    /// <see cref="Run{TState, TResult}(Socket, SocketOperation, ref TState, Attempt{TState, TResult}, out SocketError)"/>
    /// for a call whose <paramref name="state"/> changes as it goes (what a send has sent, whether a connect has
    /// started): <paramref name="progress"/>, a part of <paramref name="state"/>, is all of it a stackless greenlet's
    /// frame keeps.
    /// </summary>
    /// <remarks>
    /// Resumable (<see cref="FrameStack"/>): when its caller chain was linked (the patches marked
    /// <see cref="ResumableAttribute"/> pass their caller's link on), a stackless greenlet waits for readiness
    /// without a thread: it saves a <see cref="SocketWaitFrame"/> and returns the default result with no error,
    /// which its callers ignore as they return too; its woven caller then calls again with the same arguments
    /// to resume, and it retries the call once the wait is over.
    /// </remarks>
    internal static TResult Run<TState, TResult>(Socket socket, SocketOperation operation, ref TState state, ref int progress, Attempt<TState, TResult> attempt, out SocketError error)
        where TState : allows ref struct
    {
        var frames = FrameStack.Current;
        if (frames is not null && !frames.Enter())
        {
            // Not linked: an un-woven frame (or an overload a frame cannot call again) is in between, so the wait pins.
            frames = null;
        }

        var deadline = 0L;
        var waited = false;
        Hub.PendingIo? pending = null;
        if (frames is { IsResuming: true })
        {
            var frame = (SocketWaitFrame)frames.Pop();
            (deadline, progress, pending) = (frame.Deadline, frame.Progress, frame.Wait);
        }

        while (true)
        {
            TResult result = default!;
            TimeSpan? timeout = null;
            if (pending is null)
            {
                if (ThreadSharedSockets.TryBeginFlip(socket) is not { } flip)
                {
                    // An OS thread uses this socket too: wait for readiness, then make the call as it is (blocking).
                    if (!TryReady(socket, operation, waited, out error))
                    {
                        return default!;
                    }

                    result = error == SocketError.Success ? attempt(socket, ref state, out error) : default!;
                }
                else
                {
                    try
                    {
                        if (!TryFlipped(socket, operation, waited, ref state, attempt, out result, out error))
                        {
                            return default!;
                        }
                    }
                    finally
                    {
                        ThreadSharedSockets.EndFlip(flip);
                    }
                }

                if (error != SocketError.WouldBlock)
                {
                    return result;
                }

                if (!TryRemaining(socket, operation, ref deadline, out timeout))
                {
                    error = SocketError.TimedOut;
                    return result;
                }
            }

            var ready = Hub.CurrentGreenlet.Hub.WaitForIo(socket, EventsOf(operation), timeout, frames, ref pending);
            if (frames is { IsSuspending: true })
            {
                frames.Push(new SocketWaitFrame(pending!, deadline, progress));
                error = SocketError.Success;
                return default!;
            }

            if (!ready)
            {
                error = SocketError.TimedOut;
                return result;
            }

            waited = true;
        }
    }

    /// <summary><see cref="Run{TState, TResult}(Socket, SocketOperation, ref TState, Attempt{TState, TResult}, out SocketError)"/> for a call that reports failure by throwing, as most BCL calls without an <c>out SocketError</c> do.</summary>
    internal static TResult RunThrowing<TResult>(Socket socket, SocketOperation operation, Func<Socket, TResult> call)
    {
        var result = Run(socket, operation, ref call, static (Socket s, ref Func<Socket, TResult> c, out SocketError error) =>
        {
            error = SocketError.Success;
            return c(s);
        }, out var error);
        ThrowIfFailed(error);
        return result;
    }

    /// <summary>
    /// One non-blocking try, with <see cref="Socket.Blocking"/> flipped around it. False (with the error
    /// the BCL reports) when the socket was closed while the greenlet waited.
    /// </summary>
    private static bool TryFlipped<TState, TResult>(Socket socket, SocketOperation operation, bool waited, ref TState state, Attempt<TState, TResult> attempt, out TResult result, out SocketError error)
        where TState : allows ref struct
    {
        result = default!;
        try
        {
            socket.Blocking = false;
        }
        catch (ObjectDisposedException) when (waited)
        {
            error = ClosedError(socket, operation);
            return false;
        }

        try
        {
            result = attempt(socket, ref state, out error);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            error = SocketError.WouldBlock;
        }
        finally
        {
            socket.Blocking = true;
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="socket"/> is ready for <paramref name="operation"/> now, without flipping it:
    /// <paramref name="error"/> is success when it is, would-block when not. False (with the error the BCL
    /// reports) when the socket was closed while the greenlet waited.
    /// </summary>
    private static bool TryReady(Socket socket, SocketOperation operation, bool waited, out SocketError error)
    {
        try
        {
            error = socket.Poll(0, EventsOf(operation) == IoEvents.Read ? SelectMode.SelectRead : SelectMode.SelectWrite) ? SocketError.Success : SocketError.WouldBlock;
            return true;
        }
        catch (ObjectDisposedException) when (waited)
        {
            error = ClosedError(socket, operation);
            return false;
        }
    }

    /// <summary>
    /// A socket accepted while its listener was flipped non-blocking inherits that flag; the user's
    /// listener was blocking, so the BCL would have handed out a blocking socket.
    /// </summary>
    /// <remarks>Null while a stackless greenlet suspends in the accept (its callers return at once).</remarks>
    internal static Socket Accepted(Socket accepted)
    {
        if (accepted is not null)
        {
            accepted.Blocking = true;
        }

        return accepted!;
    }

    private static IoEvents EventsOf(SocketOperation operation) =>
        operation is SocketOperation.Receive or SocketOperation.Accept ? IoEvents.Read : IoEvents.Write;

    /// <summary>
    /// What the BCL's blocked call reports when another thread closes the socket (measured on Linux): a
    /// connected stream socket is aborted (reset); a listener or datagram socket is interrupted.
    /// </summary>
    private static SocketError ClosedError(Socket socket, SocketOperation operation) =>
        operation != SocketOperation.Accept && socket.SocketType == SocketType.Stream ? SocketError.ConnectionAborted : SocketError.Interrupted;

    /// <summary>
    /// The time left under the socket's timeout for <paramref name="operation"/> (null: no limit), counted from
    /// the first would-block. False once it has run out. The timeout is read only here, on the slow path.
    /// </summary>
    private static bool TryRemaining(Socket socket, SocketOperation operation, ref long deadline, out TimeSpan? remaining)
    {
        var milliseconds = operation switch
        {
            SocketOperation.Receive => socket.ReceiveTimeout,
            SocketOperation.Send => socket.SendTimeout,
            _ => 0,
        };
        remaining = null;
        if (milliseconds <= 0)
        {
            return true;
        }

        var now = Stopwatch.GetTimestamp();
        if (deadline == 0)
        {
            deadline = now + Durations.ToStopwatchTicks(TimeSpan.FromMilliseconds(milliseconds));
        }

        remaining = Stopwatch.GetElapsedTime(now, deadline);
        return remaining > TimeSpan.Zero;
    }
}
