namespace Gevent.Bench.Load;

/// <summary><c>serve KIND PORT</c>: runs one server under load until the process is killed.</summary>
internal static class ServeCommand
{
    public static readonly IReadOnlyDictionary<string, Action<int>> Servers = new Dictionary<string, Action<int>>
    {
        ["http-kestrel"] = BaselineServers.Kestrel,
        ["http-threads"] = BaselineServers.ThreadPerConnectionHttp,
        ["echo-async"] = BaselineServers.AsyncEcho,
        ["echo-woven"] = Woven.WovenEcho.Serve,
    };

    public static int Run(string kind, int port)
    {
        if (!Servers.TryGetValue(kind, out var serve))
        {
            Console.Error.WriteLine($"unknown server '{kind}'; expected one of: {string.Join(", ", Servers.Keys)}");
            return 2;
        }

        serve(port);
        return 0;
    }
}
