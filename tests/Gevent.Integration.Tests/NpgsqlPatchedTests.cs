using System.Text.Json;
using Gevent.Integration.Tests.Fixtures;

namespace Gevent.Integration.Tests;

/// <summary>
/// Npgsql as NuGet ships it, patched in a publish folder by the gevent-patch CLI, run from greenlets
/// against the PostgreSQL fixture (a pool of 50 connections).
/// </summary>
public class NpgsqlPatchedTests(PostgresServer server, NpgsqlApp app) : IClassFixture<PostgresServer>, IClassFixture<NpgsqlApp>
{
    private const int QueryMs = 200;

    /// <summary>For one run of the app: a hub blocked by a wait that was not made cooperative fails the test rather than hangs it.</summary>
    internal static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public void Two_hundred_queries_share_the_pool_of_fifty_in_about_four_rounds()
    {
        AssertFourRounds(app.Run(app.Patched, Limit, server.ConnectionString, "concurrent", "200"));
    }

    /// <summary>The "concurrent 200" scenario's result: every query answered, in about four rounds of the pool of 50.</summary>
    internal static void AssertFourRounds(JsonElement result)
    {
        Assert.True(result.GetProperty("concurrent_correct").GetInt32() == 200, result.ToString());
        // Four rounds of 0.2 s is 0.8 s; one at a time would be 40 s.
        Assert.InRange(result.GetProperty("concurrent_ms").GetInt64(), 4 * QueryMs, 3000);
    }

    [Fact]
    public void Patching_is_what_makes_the_queries_concurrent()
    {
        const int Queries = 10;
        var unpatched = app.Run(app.Unpatched, Limit, server.ConnectionString, "concurrent", $"{Queries}");
        var patched = app.Run(app.Patched, Limit, server.ConnectionString, "concurrent", $"{Queries}");

        Assert.True(unpatched.GetProperty("concurrent_correct").GetInt32() == Queries, unpatched.ToString());
        Assert.True(patched.GetProperty("concurrent_correct").GetInt32() == Queries, patched.ToString());
        Assert.True(unpatched.GetProperty("concurrent_ms").GetInt64() >= Queries * QueryMs * 0.9, $"unpatched: expected one query after another: {unpatched}");
        Assert.True(patched.GetProperty("concurrent_ms").GetInt64() < 4 * QueryMs, $"patched: expected about one query's time: {patched}");
    }

    [Fact]
    public void A_green_timeout_interrupts_a_running_query_and_the_pool_stays_usable()
    {
        var result = app.Run(app.Patched, Limit, server.ConnectionString, "timeout");

        // Npgsql's catch-all wraps whatever its read throws (the connection is broken, so it is never pooled again).
        Assert.True(EndedBy(result, "Gevent.GreenTimeoutException"), result.ToString());
        Assert.True(result.GetProperty("expired").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("ended_ms").GetInt64() < 2000, $"the 10 s query should end at the 0.3 s timeout: {result}");
        PoolStaysUsable(result);
    }

    [Fact]
    public void Killing_a_greenlet_mid_query_leaves_the_pool_usable()
    {
        var result = app.Run(app.Patched, Limit, server.ConnectionString, "kill");

        Assert.True(result.GetProperty("dead").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("ended_ms").GetInt64() < 2000, $"the kill should end the 10 s query at once: {result}");

        // Npgsql wraps the kill in an NpgsqlException; the greenlet still ends killed, not failed.
        Assert.True(result.GetProperty("successful").GetBoolean(), result.ToString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("ended_by").ValueKind);
        PoolStaysUsable(result);
    }

    /// <summary>50 queries after the interruption: a connection leaked by it would leave the pool one short.</summary>
    private static void PoolStaysUsable(JsonElement result)
    {
        Assert.True(result.GetProperty("after_correct").GetInt32() == 50, result.ToString());
        Assert.True(result.GetProperty("after_ms").GetInt64() < 4 * QueryMs, $"the 50 queries after should run at once: {result}");
    }

    private static bool EndedBy(JsonElement result, string exception) =>
        result.GetProperty("ended_by").GetString() == exception || result.GetProperty("ended_inner").GetString() == exception;
}
