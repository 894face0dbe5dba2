using System.Globalization;

namespace Gevent.Bench.AspNet;

/// <summary>How long and how often the <c>aspnet</c> bench loads each cell; read from its command line.</summary>
internal sealed record AspNetSettings(int Seconds, int WarmupSeconds, int Repeats)
{
    /// <summary>wrk's connections, as in the measurement of the problem.</summary>
    public const int Connections = 1000;

    /// <summary>wrk's own default: a 50 ms handler that has not answered in 2 s has failed its client.</summary>
    public const int WrkTimeoutSeconds = 2;

    /// <summary>
    /// Twice Npgsql's default pool. Not one per wrk connection: opening a PostgreSQL connection takes ~44 ms on this
    /// machine, one after another (pgbench: 4.4 s to connect 100 clients), so each fresh server process would spend
    /// ~45 s filling a pool of 1,000. 200 fill within the warm-up and cap the /pg rows at 200 / 50 ms = 4,000 req/s.
    /// </summary>
    public const int PostgresPoolSize = 200;

    /// <summary>The pool plus room for a pool whose backends are still exiting from the previous cell.</summary>
    public const int PostgresMaxConnections = PostgresPoolSize + 100;

    public const string Usage = "aspnet [--quick] [--seconds S] [--repeats N]";

    /// <summary>The settings <paramref name="arguments"/> ask for, or null if they do not parse.</summary>
    public static AspNetSettings? Parse(IReadOnlyList<string> arguments)
    {
        // Full: 10 s per cell after a 10 s warm-up (long enough, on a loaded machine, for a fresh server to start its
        // ~1,000 greenlet threads or pool threads and open its PostgreSQL pool), three rounds;
        // --quick: one 3 s round after 2 s, a smoke run of the whole matrix.
        var settings = new AspNetSettings(Seconds: 10, WarmupSeconds: 10, Repeats: 3);
        for (var i = 0; i < arguments.Count; i++)
        {
            var value = i + 1 < arguments.Count ? arguments[i + 1] : null;
            switch (arguments[i])
            {
                case "--quick":
                    settings = settings with { Seconds = 3, WarmupSeconds = 2, Repeats = 1 };
                    break;
                case "--seconds" when PositiveInt(value) is { } seconds:
                    settings = settings with { Seconds = seconds };
                    i++;
                    break;
                case "--repeats" when PositiveInt(value) is { } repeats:
                    settings = settings with { Repeats = repeats };
                    i++;
                    break;
                default:
                    return null;
            }
        }

        return settings;
    }

    private static int? PositiveInt(string? value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
