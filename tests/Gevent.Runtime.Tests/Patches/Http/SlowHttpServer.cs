using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gevent.Tests.Patches.Sockets;

namespace Gevent.Tests.Patches.Http;

/// <summary>
/// A loopback HTTP/1.1 server on plain threads, independent of the hub under test; one request per connection.
/// <c>/N</c> answers "waited N" after N milliseconds (<c>/N?status=S</c>: with status S); <c>/gate/G</c> answers
/// "gate G" once <see cref="Open"/> is called for G. A request with a body gets " METHOD body" appended. While it
/// waits, it watches the connection: a client that goes away first is counted in <see cref="Abandoned"/>.
/// </summary>
internal sealed class SlowHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, ManualResetEventSlim> _gates = new();
    private int _abandoned;
    private int _received;
    private int _gateCount;

    public SlowHttpServer()
    {
        _listener.Start(256);
        new Thread(Accept) { IsBackground = true, Name = "slow http server" }.Start();
    }

    /// <summary>An address nothing listens on: connecting is refused.</summary>
    public static string RefusedUrl => $"http://{SocketKit.ClosedEndPoint()}/";

    /// <summary>Requests read, answered or not.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Requests whose client went away before their answer.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>The last request answered, as "METHOD /path body".</summary>
    public string? LastRequest { get; private set; }

    public string Url(int delayMs) => $"{Root}{delayMs}";

    public string Url(int delayMs, int status) => $"{Root}{delayMs}?status={status}";

    /// <summary>The address of a new gate: requests to it wait until it is opened.</summary>
    public string NewGate() => $"{Root}gate/{Interlocked.Increment(ref _gateCount)}";

    /// <summary>Answers every request to <paramref name="gateUrl"/>, waiting or to come.</summary>
    public void Open(string gateUrl) => Gate(gateUrl[Root.Length..].Split('/')[1]).Set();

    /// <summary>From any thread: waits until <see cref="Abandoned"/> reaches <paramref name="count"/>; false after 20 s.</summary>
    public bool WaitForAbandoned(int count) => SpinWait.SpinUntil(() => Abandoned >= count, SocketKit.Generous);

    /// <summary>
    /// From any thread, after a request was interrupted (the server then had <paramref name="received"/> and
    /// <paramref name="abandoned"/>): true when the server sees its client leave, or when it never gets the request
    /// (interrupted on its way; given 2 s to show up); false when it gets it and the client stays for 20 s.
    /// </summary>
    public bool SawItStopped(int received, int abandoned)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < SocketKit.Generous)
        {
            if (Abandoned > abandoned || (Received == received && waited.Elapsed > TimeSpan.FromSeconds(2)))
            {
                return true;
            }

            Thread.Sleep(5);
        }

        return false;
    }

    /// <summary>In a greenlet: sleeps until <see cref="Received"/> reaches <paramref name="count"/>; false after 20 s.</summary>
    public bool SleepUntilReceived(int count)
    {
        var waited = Stopwatch.StartNew();
        while (Received < count)
        {
            if (waited.Elapsed > SocketKit.Generous)
            {
                return false;
            }

            Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
        }

        return true;
    }

    public void Dispose() => _listener.Stop();

    private string Root => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

    private ManualResetEventSlim Gate(string name) => _gates.GetOrAdd(name, _ => new ManualResetEventSlim());

    private void Accept()
    {
        try
        {
            while (true)
            {
                var connection = _listener.AcceptTcpClient();
                new Thread(() => Answer(connection)) { IsBackground = true }.Start();
            }
        }
        catch (SocketException)
        {
            // Stopped.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
        catch (InvalidOperationException)
        {
            // Stopped before this thread first accepted.
        }
    }

    private void Answer(TcpClient connection)
    {
        using var _ = connection;
        try
        {
            var stream = connection.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            var requestLine = reader.ReadLine()?.Split(' ');
            if (requestLine is not [var method, var target, ..])
            {
                return;
            }

            var length = 0;
            while (reader.ReadLine() is { Length: > 0 } header)
            {
                if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(header["Content-Length:".Length..].Trim());
                }
            }

            var body = new char[length];
            reader.ReadBlock(body);
            Interlocked.Increment(ref _received);
            var path = target.Split('?')[0].TrimStart('/');
            var status = target.Contains("?status=", StringComparison.Ordinal) ? int.Parse(target.Split("?status=")[1]) : 200;
            string answer;
            if (path.StartsWith("gate/", StringComparison.Ordinal))
            {
                var gate = Gate(path.Split('/')[1]);
                if (!WaitWhileConnected(connection.Client, () => gate.IsSet))
                {
                    return;
                }

                answer = $"gate {path.Split('/')[1]}";
            }
            else
            {
                var delay = int.Parse(path);
                var waited = Stopwatch.StartNew();
                if (!WaitWhileConnected(connection.Client, () => waited.ElapsedMilliseconds >= delay))
                {
                    return;
                }

                answer = $"waited {delay}";
            }

            if (length > 0)
            {
                answer += $" {method} {new string(body)}";
            }

            LastRequest = $"{method} {target} {new string(body)}".TrimEnd();
            var content = Encoding.UTF8.GetBytes(answer);
            var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Failed")}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n\r\n";
            stream.Write([.. Encoding.ASCII.GetBytes(head), .. content]);
        }
        catch (IOException)
        {
            // The client gave up while the answer was written.
            Interlocked.Increment(ref _abandoned);
        }
    }

    /// <summary>Waits until <paramref name="ready"/>; false (and counted) if the client closes the connection first.</summary>
    private bool WaitWhileConnected(Socket socket, Func<bool> ready)
    {
        while (!ready())
        {
            if (socket.Poll(TimeSpan.FromMilliseconds(5), SelectMode.SelectRead) && socket.Available == 0)
            {
                Interlocked.Increment(ref _abandoned);
                return false;
            }
        }

        return true;
    }
}
