namespace Gevent.Bench.Load;

/// <summary><c>serve KIND PORT [SECONDS]</c>: runs one server under load until the process is killed, or for a lifetime.</summary>
internal static class ServeCommand
{
    public static readonly IReadOnlyDictionary<string, Action<int>> Servers = new Dictionary<string, Action<int>>
    {
        ["http-kestrel"] = BaselineServers.Kestrel,
        ["http-threads"] = BaselineServers.ThreadPerConnectionHttp,
        ["echo-async"] = BaselineServers.AsyncEcho,
        ["echo-woven"] = Woven.WovenEcho.Serve,
    };

    /// <summary>
    /// Serves until killed, or with a <paramref name="lifetime"/> for that long on a background thread and then exits
    /// normally: a kill skips the process-exit event a startup hook writes its report from.
    /// </summary>
    public static int Run(string kind, int port, TimeSpan? lifetime)
    {
        if (!Servers.TryGetValue(kind, out var serve))
        {
            Console.Error.WriteLine($"unknown server '{kind}'; expected one of: {string.Join(", ", Servers.Keys)}");
            return 2;
        }

        if (lifetime is not { } duration)
        {
            serve(port);
            return 0;
        }

        new Thread(() => serve(port)) { IsBackground = true, Name = "serve " + kind }.Start();
        Thread.Sleep(duration);
        return 0;
    }
}
