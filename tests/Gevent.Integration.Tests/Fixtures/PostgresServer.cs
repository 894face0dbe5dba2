namespace Gevent.Integration.Tests.Fixtures;

/// <summary>
/// A throw-away PostgreSQL cluster: <c>initdb</c> into a temporary folder, started with <c>pg_ctl</c> on
/// a free loopback port, stopped and deleted at the end. PostgreSQL refuses to run as root, so as root
/// the cluster belongs to the <c>postgres</c> system user the Debian package creates.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _folder;
    private readonly string _binaries;
    private readonly bool _asPostgresUser;

    public PostgresServer()
        : this(maxConnections: 200)
    {
    }

    /// <summary>A cluster that accepts <paramref name="maxConnections"/> connections (the bench's pools are larger than the tests').</summary>
    internal PostgresServer(int maxConnections)
    {
        _binaries = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed: run scripts/install-test-dependencies.sh");
        _asPostgresUser = Environment.UserName == "root";
        _folder = ExternalProcess.TemporaryFolder("gevent-postgres-");
        if (_asPostgresUser)
        {
            ExternalProcess.Run("chown", "postgres:", _folder);
        }

        Port = ExternalProcess.FreePort();
        var data = Path.Combine(_folder, "data");
        PgTool("initdb", "-D", data, "-U", "gevent", "--auth=trust", "-E", "UTF8", "--no-sync");
        PgTool("pg_ctl", "-D", data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections={maxConnections}");
        ConnectionString = $"Host=127.0.0.1;Port={Port};Username=gevent;Database=postgres;Maximum Pool Size=50;Timeout=30";
    }

    public int Port { get; }

    /// <summary>For Npgsql, with a pool of 50 connections.</summary>
    public string ConnectionString { get; }

    public void Dispose()
    {
        try
        {
            PgTool("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private void PgTool(string tool, params string[] arguments)
    {
        var path = Path.Combine(_binaries, tool);
        if (_asPostgresUser)
        {
            ExternalProcess.Run("runuser", ["-u", "postgres", "--", path, .. arguments]);
        }
        else
        {
            ExternalProcess.Run(path, arguments);
        }
    }
}
