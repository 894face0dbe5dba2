using System.Globalization;

namespace Gevent.Servers;

/// <summary>The Date header value (RFC 9110 IMF-fixdate), formatted once per second.</summary>
internal static class HttpDate
{
    // A reference, so that threads of different hubs never see a torn (second, text) pair.
    private static Stamp s_cached = new(0, string.Empty);

    public static string Now
    {
        get
        {
            var now = DateTime.UtcNow;
            var second = now.Ticks / TimeSpan.TicksPerSecond;
            var cached = Volatile.Read(ref s_cached);
            if (cached.Second != second)
            {
                cached = new Stamp(second, now.ToString("r", CultureInfo.InvariantCulture));
                Volatile.Write(ref s_cached, cached);
            }

            return cached.Text;
        }
    }

    private sealed record Stamp(long Second, string Text);
}
