using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gevent.Bench.Load;

/// <summary>
/// A server under load in a process of its own, so no server shares a thread pool, a hub or CPU pinning
/// with another or with the load generator. Killed when disposed.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private const int StandardErrorTailLines = 20;

    private readonly Process _process;
    private readonly Queue<string> _standardErrorTail = new();
    private readonly Thread _standardErrorReader;
    private readonly object _outputGate = new();
    private readonly object _askGate = new();
    private string? _lastOutputLine;
    private long _outputLines;
    private long _standardErrorLines;

    // Both pipes are read as they fill: a server that logs (say, every reset connection) would
    // otherwise block on a full pipe, and the load test would measure the pipe. On threads of their
    // own, so a load generator starving this process's thread pool cannot stall them.
    private ServerProcess(Process process)
    {
        _process = process;
        ReadLines(process.StandardOutput, line =>
        {
            lock (_outputGate)
            {
                _lastOutputLine = line;
                _outputLines++;
                Monitor.PulseAll(_outputGate);
            }
        });
        _standardErrorReader = ReadLines(process.StandardError, line =>
        {
            lock (_standardErrorTail)
            {
                _standardErrorLines++;
                _standardErrorTail.Enqueue(line);
                if (_standardErrorTail.Count > StandardErrorTailLines)
                {
                    _standardErrorTail.Dequeue();
                }
            }
        });
    }

    public int Port { get; private set; }

    /// <summary>The server's process id (for reading <c>/proc</c>).</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Writes <paramref name="request"/> as a line to the server's standard input and returns the next
    /// line it writes to standard output, or null if none comes within <paramref name="timeout"/>.
    /// </summary>
    public string? Ask(string request, TimeSpan timeout)
    {
        // One question at a time: a second asker would take the first one's answer.
        lock (_askGate)
        lock (_outputGate)
        {
            var seen = _outputLines;
            try
            {
                _process.StandardInput.WriteLine(request);
                _process.StandardInput.Flush();
            }
            catch (IOException)
            {
                return null; // It has exited.
            }

            var deadline = DateTime.UtcNow + timeout;
            while (_outputLines == seen && DateTime.UtcNow < deadline)
            {
                Monitor.Wait(_outputGate, deadline - DateTime.UtcNow);
            }

            return _outputLines == seen ? null : _lastOutputLine;
        }
    }

    /// <summary>Lines the server wrote to standard error (its log), and the last of them.</summary>
    public (long Lines, IReadOnlyList<string> Tail) StandardError
    {
        get
        {
            lock (_standardErrorTail)
            {
                return (_standardErrorLines, _standardErrorTail.ToList());
            }
        }
    }

    /// <summary>The exit code if the server has exited (128 + the signal when a signal ended it), else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>
    /// One of the repository's samples (<c>samples/NAME</c>, taking <c>--port</c>), built in the same
    /// configuration as this bench: the load test measures exactly what users run.
    /// </summary>
    public static ServerProcess StartSample(string name, string extraArguments = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        var assembly = BuiltProject.Assembly("samples", name);
        return Start(port => ChildProcess.Start("dotnet", $"\"{assembly}\" --port {port} {extraArguments}".TrimEnd(), environment));
    }

    /// <summary>An ASP.NET Core app (<c>dotnet APP.dll --urls</c>) with <paramref name="environment"/> added to its environment.</summary>
    public static ServerProcess StartWebApp(string assembly, IReadOnlyDictionary<string, string> environment) =>
        Start(port => ChildProcess.Start("dotnet", $"\"{assembly}\" --urls http://127.0.0.1:{port}", environment));

    /// <summary>One of this bench's own servers (<c>serve KIND PORT</c>).</summary>
    public static ServerProcess StartSelf(string kind) => Start(port => ChildProcess.StartSelf($"serve {kind} {port}"));

    /// <summary>
    /// Adds the Python gevent server <paramref name="script"/> (which takes the port as its
    /// argument) to <paramref name="servers"/>, or says why it cannot be measured here.
    /// </summary>
    public static void AddPythonGevent(List<(string Name, Func<ServerProcess> Start)> servers, string name, string script)
    {
        if (PythonGevent.FindPython() is { } python)
        {
            var path = PythonGevent.Script(script);
            servers.Add((name, () => Start(port => ChildProcess.Start(python, $"\"{path}\" {port}"))));
        }
        else
        {
            Console.WriteLine($"{name}: not measured (python3-gevent not installed: apt-get install -y python3-gevent)");
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        _process.Dispose();
    }

    private static Thread ReadLines(StreamReader reader, Action<string> onLine)
    {
        var thread = new Thread(() =>
        {
            try
            {
                while (reader.ReadLine() is { } line)
                {
                    onLine(line);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The server was killed and its pipe disposed: nothing more to read.
            }
        }) { IsBackground = true, Name = "server output" };
        thread.Start();
        return thread;
    }

    private static ServerProcess Start(Func<int, Process> start)
    {
        var port = FreePort();
        var server = new ServerProcess(start(port)) { Port = port };
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (server.ExitCode is { } exitCode)
            {
                server._standardErrorReader.Join(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"the server exited {exitCode}: {string.Join('\n', server.StandardError.Tail)}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        server.Dispose();
        throw new TimeoutException($"the server did not listen on port {port} within 30 s");
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
