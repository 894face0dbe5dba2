using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AssemblyToProcess;

/// <summary>A synchronous socket client and server on loopback: rewritten once the catalog patches sockets.</summary>
public static class Sockets
{
    public static string EchoOnce(string message)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var server = new Thread(() =>
        {
            using var accepted = listener.Accept();
            var buffer = new byte[256];
            var read = accepted.Receive(buffer);
            accepted.Send(buffer, read, SocketFlags.None);
        });
        server.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var stream = new NetworkStream(client);
        var bytes = Encoding.UTF8.GetBytes(message);
        stream.Write(bytes, 0, bytes.Length);
        var reply = new byte[256];
        var received = stream.Read(reply, 0, reply.Length);
        server.Join();
        return Encoding.UTF8.GetString(reply, 0, received);
    }
}
