using Gevent.Integration.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Gevent.AspNetCore.Tests;

/// <summary>
/// A request aborted while Npgsql (patched) is inside its synchronous <c>Open</c> or a query must leave the connection
/// pool whole: the pool has one connection, so a single lost one shows as "pool exhausted" on the next request, and a
/// broken or cleared one as a new backend.
/// </summary>
public sealed class PostgresAbortTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    // Npgsql's first open in a process (its JIT, a backend forked) took more than 5 s at a load average of 45.
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString)
    {
        MaxPoolSize = 1,
        ApplicationName = Guid.NewGuid().ToString("N"),
        Timeout = 20,
    }.ConnectionString;

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task AnAbortWhileWaitingForThePoolLeavesThePoolWhole(WayIn way)
    {
        var probe = new OpenProbe();
        await using var app = await WebApp.StartAsync(way, middleware: web => MapEndpoints(web, probe));

        var holder = app.Client.GetStringAsync("/pg/hold?seconds=2");
        await probe.Held.Task.WaitAsync(s_limit);
        using var cancel = new CancellationTokenSource();
        var waiter = app.Client.GetAsync("/pg/open", cancel.Token);
        await probe.Opening.Task.WaitAsync(s_limit);
        // Long enough for Open to park in the pool's wait; the kill reaches it at its blocking point either way.
        await Task.Delay(200);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        await probe.Ended.Task.WaitAsync(s_limit);

        Assert.Equal("held", await holder.WaitAsync(s_limit));
        Assert.Equal("opened", await app.Client.GetStringAsync("/pg/open").WaitAsync(s_limit));
    }

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task AnAbortDuringAQueryLetsItFinishOnItsConnection(WayIn way)
    {
        var probe = new OpenProbe();
        await using var app = await WebApp.StartAsync(way, middleware: web => MapEndpoints(web, probe));

        using var cancel = new CancellationTokenSource();
        var holder = app.Client.GetAsync("/pg/hold?seconds=4", cancel.Token);
        var backend = await probe.Held.Task.WaitAsync(s_limit);
        // The query parks in its socket read within milliseconds. Its 4 s leave the abort time to arrive on a busy
        // machine: a kill in the read made Npgsql cancel the query on the server and break the connection, but a short
        // query could end during Npgsql's grace period after the cancel and pass as whole.
        await Task.Delay(200);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holder);

        // Killed in its read, Npgsql took the kill for its read timeout: it broke the connection and cleared the pool.
        Assert.Equal("held", await probe.HoldEnded.Task.WaitAsync(s_limit));
        Assert.Equal(backend, await app.Client.GetStringAsync("/pg/backend").WaitAsync(s_limit));
    }

    private void MapEndpoints(WebApplication app, OpenProbe probe)
    {
        app.MapGet("/pg/hold", (int seconds) =>
        {
            try
            {
                using var connection = new NpgsqlConnection(_connectionString);
                connection.Open();
                probe.Held.TrySetResult(Backend(connection));
                using var command = new NpgsqlCommand($"SELECT pg_sleep({seconds})", connection);
                command.ExecuteNonQuery();
                probe.HoldEnded.TrySetResult("held");
                return "held";
            }
            catch (Exception e)
            {
                probe.HoldEnded.TrySetResult(e.GetType().Name);
                throw;
            }
        });
        app.MapGet("/pg/backend", () =>
        {
            using var connection = new NpgsqlConnection(_connectionString);
            connection.Open();
            return Backend(connection);
        });
        app.MapGet("/pg/open", () =>
        {
            probe.Opening.TrySetResult();
            try
            {
                using var connection = new NpgsqlConnection(_connectionString);
                connection.Open();
                using var command = new NpgsqlCommand("SELECT 1", connection);
                command.ExecuteScalar();
                probe.Ended.TrySetResult("opened");
                return "opened";
            }
            catch (Exception e)
            {
                probe.Ended.TrySetResult(e.GetType().Name);
                throw;
            }
        });
    }

    /// <summary>The process id of the backend serving <paramref name="connection"/>: a new one means a new physical connection.</summary>
    private static string Backend(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>
    /// What the endpoints report: the backend of the connection held and how its query ended, an open started, and how
    /// the first open ended.
    /// </summary>
    private sealed class OpenProbe
    {
        public TaskCompletionSource<string> Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Opening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> HoldEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
