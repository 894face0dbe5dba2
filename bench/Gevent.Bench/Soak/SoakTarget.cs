namespace Gevent.Bench.Soak;

/// <summary>A sample the soak runs (<c>samples/NAME</c>, built like the bench) and whether it speaks HTTP.</summary>
internal sealed record SoakTarget(string Name, string Sample, bool Http)
{
    public static readonly SoakTarget HttpHello = new("http", "HttpHello", Http: true);

    public static readonly SoakTarget Echo = new("echo", "Echo", Http: false);
}
