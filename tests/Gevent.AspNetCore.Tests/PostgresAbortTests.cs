using Gevent.Integration.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Gevent.AspNetCore.Tests;

/// <summary>
/// A request aborted while Npgsql (patched) is inside its synchronous <c>Open</c> must leave the connection pool whole:
/// the pool has one connection, so a single lost one shows as "pool exhausted" on the next request.
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

    private void MapEndpoints(WebApplication app, OpenProbe probe)
    {
        app.MapGet("/pg/hold", (int seconds) =>
        {
            using var connection = new NpgsqlConnection(_connectionString);
            connection.Open();
            probe.Held.TrySetResult();
            using var command = new NpgsqlCommand($"SELECT pg_sleep({seconds})", connection);
            command.ExecuteNonQuery();
            return "held";
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

    /// <summary>What the endpoints report: the connection held, an open started, and how the first open ended.</summary>
    private sealed class OpenProbe
    {
        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Opening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
