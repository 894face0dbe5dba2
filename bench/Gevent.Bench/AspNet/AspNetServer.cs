namespace Gevent.Bench.AspNet;

/// <summary>
/// One way of running bench/AspNetBenchApp that the <c>aspnet</c> bench compares: plain Kestrel with the blocking
/// handlers (defaults, or the thread pool's floor raised), Kestrel with the handlers written with <c>await</c>,
/// and the unchanged app patched by gevent-patch and started with the hosting-startup variable.
/// </summary>
internal sealed record AspNetServer(string Key, string Name, bool Patched, int? MinThreads, bool Awaits)
{
    /// <summary>The thread pool's floor of the <see cref="KestrelMinThreads"/> row: above the 1,000 connections.</summary>
    public const int RaisedMinThreads = 1100;

    public static readonly AspNetServer KestrelSync = new("kestrel-sync", "Kestrel, blocking handler", Patched: false, MinThreads: null, Awaits: false);
    public static readonly AspNetServer KestrelMinThreads = new("kestrel-sync-minthreads", $"Kestrel, blocking, SetMinThreads({RaisedMinThreads})", Patched: false, MinThreads: RaisedMinThreads, Awaits: false);
    public static readonly AspNetServer KestrelAwait = new("kestrel-await", "Kestrel, await handler", Patched: false, MinThreads: null, Awaits: true);
    public static readonly AspNetServer Gevent = new("gevent", "Gevent (patched, hosting startup)", Patched: true, MinThreads: null, Awaits: false);

    public static readonly IReadOnlyList<AspNetServer> All = [KestrelSync, KestrelMinThreads, KestrelAwait, Gevent];

    /// <summary>The path this server is measured on for <paramref name="handler"/>, or null if the row has no such cell.</summary>
    public string? PathFor(AspNetHandler handler) => Awaits ? handler.AwaitPath : handler.BlockingPath;
}
