using System.Net;
using System.Net.Sockets;

namespace Gevent.Loop;

/// <summary>
/// The portable backend: <c>Socket.Select</c> over the registered sockets plus a
/// self-connected loopback UDP socket that other threads write to for wake-ups.
/// </summary>
internal sealed class SelectBackend : PollBackend
{
    private readonly Dictionary<Socket, IoRegistration> _registrations = [];
    private readonly Socket _wake;
    private readonly byte[] _wakeByte = [1];
    private readonly byte[] _drain = new byte[64];
    private readonly List<Socket> _read = [];
    private readonly List<Socket> _write = [];
    private readonly List<Socket> _error = [];

    public SelectBackend()
    {
        _wake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wake.Connect(_wake.LocalEndPoint!);
        _wake.Blocking = false;
    }

    public override string Name => "select";

    public override void Update(IoRegistration registration)
    {
        if (registration.Socket.SafeHandle.IsClosed)
        {
            throw new ObjectDisposedException(registration.Socket.GetType().FullName);
        }

        _registrations[registration.Socket] = registration;
        registration.Registered = registration.Interest;
    }

    public override void Remove(IoRegistration registration)
    {
        _registrations.Remove(registration.Socket);
        registration.Registered = IoEvents.None;
    }

    public override void Poll(int timeoutMs, List<(int Slot, IoEvents Events)> ready)
    {
        _read.Clear();
        _write.Clear();
        _error.Clear();
        _read.Add(_wake);
        foreach (var registration in _registrations.Values)
        {
            if (registration.Socket.SafeHandle.IsClosed)
            {
                // Select throws on a closed socket; a closed socket wakes its watchers as an error.
                ready.Add((registration.Slot, IoEvents.Read | IoEvents.Write));
                continue;
            }

            if ((registration.Registered & IoEvents.Read) != 0)
            {
                _read.Add(registration.Socket);
            }

            if ((registration.Registered & IoEvents.Write) != 0)
            {
                _write.Add(registration.Socket);
            }

            _error.Add(registration.Socket);
        }

        try
        {
            Socket.Select(_read, _write, _error, ready.Count > 0 ? 0 : ToMicroseconds(timeoutMs));
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // Another thread closed a socket between the check above and Select: wake the watchers of
            // every socket closed by now; the next poll selects the rest again.
            foreach (var registration in _registrations.Values)
            {
                if (registration.Socket.SafeHandle.IsClosed)
                {
                    ready.Add((registration.Slot, IoEvents.Read | IoEvents.Write));
                }
            }

            return;
        }
        foreach (var socket in _read)
        {
            if (socket == _wake)
            {
                Drain();
            }
            else
            {
                ready.Add((_registrations[socket].Slot, IoEvents.Read));
            }
        }

        foreach (var socket in _write)
        {
            ready.Add((_registrations[socket].Slot, IoEvents.Write));
        }

        foreach (var socket in _error)
        {
            ready.Add((_registrations[socket].Slot, IoEvents.Read | IoEvents.Write));
        }
    }

    public override void Wake()
    {
        try
        {
            _wake.Send(_wakeByte);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable)
        {
            // The socket buffer is full of earlier wake-ups: the loop will wake anyway.
        }
        catch (ObjectDisposedException)
        {
            // A post that raced the loop's disposal: nothing will poll again. The socket's own handle counts
            // the send as a use, so its descriptor was not closed under it.
        }
    }

    public override void Dispose() => _wake.Dispose();

    private static int ToMicroseconds(int timeoutMs) =>
        timeoutMs < 0 ? -1 : (int)Math.Min(int.MaxValue, timeoutMs * 1000L);

    private void Drain()
    {
        while (_wake.Available > 0)
        {
            _wake.Receive(_drain);
        }
    }
}
