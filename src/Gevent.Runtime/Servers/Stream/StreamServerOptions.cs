using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Gevent.Servers;

/// <summary>How a <see cref="StreamServer"/> accepts and runs connections.</summary>
public sealed class StreamServerOptions
{
    /// <summary>The listen backlog: connections the OS queues while the server is busy or full. Default 1,024.</summary>
    public int Backlog { get; init; } = 1024;

    /// <summary>
    /// Runs handlers in this pool: accepting pauses while it is full (clients wait in the backlog). Null (the
    /// default) with no <see cref="MaxConnections"/>: one greenlet per connection, unlimited.
    /// </summary>
    public Pool? Pool { get; init; }

    /// <summary>
    /// At most this many connections served at once on each of the server's hubs (a pool of that size on each);
    /// ignored when <see cref="Pool"/> is set.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>
    /// How many hubs serve connections, each on a CPU of its own with a listener on the server's end point; a
    /// connection's greenlets stay on the hub that accepted it. 1: the hub that starts the server serves alone. Null
    /// (the default): <see cref="GeventConfig.Hubs"/> (<c>GEVENT_HUBS</c>, one per CPU unless set), but 1 for a server
    /// on a bound socket or with a <see cref="Pool"/>, which belong to the starting hub.
    /// </summary>
    public int? Hubs { get; init; }

    /// <summary>Connections accepted in a row before the accept loop lets handlers run. Default 100.</summary>
    public int MaxAcceptsPerWake { get; init; } = 100;

    /// <summary>The first pause after a failed accept (e.g. out of file descriptors); it doubles up to a second while failures last. Default 10 ms.</summary>
    public TimeSpan AcceptErrorBackoff { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Serve TLS with this certificate (it must have a private key); null for plain TCP.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>How long a client may take to complete the TLS handshake. Default 10 s.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where accept failures and handler exceptions are logged, tagged with the hub as <see cref="GeventLogging"/>'s
    /// entries are; default <see cref="GeventLogging"/>.
    /// </summary>
    public ILogger? Logger { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Backlog, nameof(Backlog));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxAcceptsPerWake, nameof(MaxAcceptsPerWake));
        if (Hubs is { } hubs)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hubs, nameof(Hubs));
        }

        if (MaxConnections is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(MaxConnections));
        }

        Durations.Validate(AcceptErrorBackoff, nameof(AcceptErrorBackoff), allowInfinite: false);
        Durations.Validate(TlsHandshakeTimeout, nameof(TlsHandshakeTimeout), allowInfinite: true);
        if (Certificate is { HasPrivateKey: false })
        {
            throw new ArgumentException("The server certificate has no private key.", nameof(Certificate));
        }
    }
}
