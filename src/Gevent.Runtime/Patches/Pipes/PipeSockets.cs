using System.IO.Pipes;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Gevent.Patches;

/// <summary>
/// Makes a <see cref="PipeStream"/>'s socket before its calls go to pool threads. On Unix .NET wraps a pipe's
/// descriptor in a <see cref="Socket"/> on the handle's first read or write, without a lock: two first calls at once
/// (a read and a write of a duplex pipe, offloaded on two pool threads) both make one, and the loser's is disposed,
/// closing the descriptor under the winner. Its calls then fail, or reach whatever file reuses the number, and the
/// pipe's own close later closes that file too. Made once here, under a lock, every later call finds it.
/// </summary>
/// <remarks>
/// The socket is reached through the runtime's internal <c>SafePipeHandle.PipeSocket</c> (an
/// <see cref="UnsafeAccessorAttribute"/>, which costs a call): a zero-byte read or write returns before it, and a real
/// one would move data. Where that member does not exist (Windows, another runtime version) nothing is made, and the
/// calls race as they would without Gevent.
/// </remarks>
internal static class PipeSockets
{
    private static readonly Lock s_creation = new();
    private static volatile bool s_unavailable = OperatingSystem.IsWindows();

    /// <summary>Makes <paramref name="stream"/>'s socket if it is a pipe stream without one; any other stream is left alone.</summary>
    public static void CreateOnce(Stream stream)
    {
        if (s_unavailable || stream is not PipeStream pipe)
        {
            return;
        }

        try
        {
            // No handle yet (a server not connected) or a closed one: the call itself throws what the original does.
            if (InternalHandle(pipe) is { IsClosed: false } handle)
            {
                lock (s_creation)
                {
                    _ = PipeSocket(handle);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: left to the call, as above.
        }
        catch (MissingMemberException)
        {
            s_unavailable = true;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_InternalHandle")]
    private static extern SafePipeHandle? InternalHandle(PipeStream stream);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_PipeSocket")]
    private static extern Socket PipeSocket(SafePipeHandle handle);
}
