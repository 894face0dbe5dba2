using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Gevent.Bench.Load;

/// <summary>The servers the load tests compare Gevent for .NET's against; each runs until its process is killed.</summary>
internal static class BaselineServers
{
    private static readonly byte[] s_helloResponse = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!");

    /// <summary>A Kestrel minimal API answering "Hello, World!" as text/plain.</summary>
    public static void Kestrel(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/", () => "Hello, World!");
        app.Run();
    }

    /// <summary>The classic synchronous server: a thread per connection, blocking reads, keep-alive.</summary>
    public static void ThreadPerConnectionHttp(int port) => AcceptOnThreads(port, ServeHttp);

    /// <summary>An async/await echo server: one async loop per connection on the thread pool.</summary>
    public static void AsyncEcho(int port)
    {
        var listener = Listen(port);
        while (true)
        {
            var client = listener.Accept();
            _ = EchoAsync(client);
        }
    }

    internal static Socket Listen(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        return listener;
    }

    private static void AcceptOnThreads(int port, Action<Socket> serve)
    {
        var listener = Listen(port);
        while (true)
        {
            var client = listener.Accept();
            new Thread(() => serve(client), 256 * 1024) { IsBackground = true }.Start();
        }
    }

    // Answers each request head (up to its blank line) with the fixed response; wrk does not pipeline.
    private static void ServeHttp(Socket client)
    {
        using var _ = client;
        var buffer = new byte[8192];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = client.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int end;
                while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) >= 0)
                {
                    client.Send(s_helloResponse);
                    filled -= end + 4;
                    Buffer.BlockCopy(buffer, end + 4, buffer, 0, filled);
                }
            }
        }
        catch (SocketException)
        {
            // The client went away.
        }
    }

    private static async Task EchoAsync(Socket client)
    {
        using var _ = client;
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (SocketException)
        {
            // The client went away.
        }
    }
}
