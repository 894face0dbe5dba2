using System.Text.Json;
using Gevent.Integration.Tests.Fixtures;

namespace Gevent.Integration.Tests;

/// <summary>
/// Npgsql as NuGet ships it, patched in a publish folder by the gevent-patch CLI, run from greenlets
/// against the PostgreSQL fixture (a pool of 50 connections); each scenario with the folder patched as by default and
/// with resumable frames.
/// </summary>
public class NpgsqlPatchedTests(PostgresServer server, NpgsqlApp app) : IClassFixture<PostgresServer>, IClassFixture<NpgsqlApp>
{
    private const int QueryMs = 200;

    /// <summary>The query the timeout and the kill interrupt ("SELECT pg_sleep(10)").</summary>
    private const int LongQueryMs = 10_000;

    /// <summary>
    /// For one run of the app: a hub blocked by a wait that was not made cooperative fails the test rather than hangs
    /// it. Far above the few seconds a run takes, which a heavily loaded machine stretches many times over.
    /// </summary>
    internal static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_hundred_queries_share_the_pool_of_fifty_in_about_four_rounds(bool resumableFrames)
    {
        AssertFourRounds(app.Run(app.PatchedWith(resumableFrames), s_limit, server.ConnectionString, "concurrent", "200"));
    }

    /// <summary>The "concurrent 200" scenario's result: every query answered, in about four rounds of the pool of 50.</summary>
    internal static void AssertFourRounds(JsonElement result)
    {
        Assert.True(result.GetProperty("concurrent_correct").GetInt32() == 200, result.ToString());
        // Four rounds of 0.2 s is 0.8 s, and fewer would mean the pool let more than 50 run at once. One at a time
        // takes 40 s; a quarter of that leaves room for opening 50 connections on a loaded 2-core machine (an eighth
        // failed at 5.6 s with the load average near 100).
        Assert.InRange(result.GetProperty("concurrent_ms").GetInt64(), 4 * QueryMs, Serial(200) / 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Patching_is_what_makes_the_queries_concurrent(bool resumableFrames)
    {
        const int queries = 10;
        var unpatched = app.Run(app.Unpatched, s_limit, server.ConnectionString, "concurrent", $"{queries}");
        var patched = app.Run(app.PatchedWith(resumableFrames), s_limit, server.ConnectionString, "concurrent", $"{queries}");

        Assert.True(unpatched.GetProperty("concurrent_correct").GetInt32() == queries, unpatched.ToString());
        Assert.True(patched.GetProperty("concurrent_correct").GetInt32() == queries, patched.ToString());
        var unpatchedMs = unpatched.GetProperty("concurrent_ms").GetInt64();
        Assert.True(unpatchedMs >= Serial(queries) * 0.9, $"unpatched: expected one query after another: {unpatched}");
        // The unpatched run is the control: it opened as many connections, one at a time, on the same machine.
        // Three quarters, not half: the patched run opens its 10 connections at once, which a loaded machine serializes
        // in part (1,422 ms against 2,788 ms with the load average near 30).
        Assert.True(patched.GetProperty("concurrent_ms").GetInt64() < unpatchedMs * 3 / 4, $"patched: expected well under the unpatched {unpatchedMs} ms: {patched}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_green_timeout_interrupts_a_running_query_and_the_pool_stays_usable(bool resumableFrames)
    {
        var result = app.Run(app.PatchedWith(resumableFrames), s_limit, server.ConnectionString, "timeout");

        // Npgsql's catch-all wraps whatever its read throws (the connection is broken, so it is never pooled again).
        Assert.True(EndedBy(result, "Gevent.GreenTimeoutException"), result.ToString());
        Assert.True(result.GetProperty("expired").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("ended_ms").GetInt64() < LongQueryMs / 2, $"the 10 s query should end at the 0.3 s timeout: {result}");
        PoolStaysUsable(result);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Killing_a_greenlet_mid_query_leaves_the_pool_usable(bool resumableFrames)
    {
        var result = app.Run(app.PatchedWith(resumableFrames), s_limit, server.ConnectionString, "kill");

        Assert.True(result.GetProperty("dead").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("ended_ms").GetInt64() < LongQueryMs / 2, $"the kill should end the 10 s query at once: {result}");

        // Npgsql wraps the kill in an NpgsqlException; the greenlet still ends killed, not failed.
        Assert.True(result.GetProperty("successful").GetBoolean(), result.ToString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("ended_by").ValueKind);
        PoolStaysUsable(result);
    }

    /// <summary>50 queries after the interruption: a connection leaked by it would leave the pool one short.</summary>
    private static void PoolStaysUsable(JsonElement result)
    {
        Assert.True(result.GetProperty("after_correct").GetInt32() == 50, result.ToString());
        // Not a bound on about one query's time: the 50 queries each open a new connection, which on a loaded
        // machine made the round take 0.9 s for a 0.2 s query. Half of one at a time (5 s) still tells them apart.
        Assert.True(result.GetProperty("after_ms").GetInt64() < Serial(50) / 2, $"the 50 queries after should run at once: {result}");
    }

    /// <summary>How long <paramref name="queries"/> of the 0.2 s queries take one after another.</summary>
    private static long Serial(int queries) => (long)queries * QueryMs;

    private static bool EndedBy(JsonElement result, string exception) =>
        result.GetProperty("ended_by").GetString() == exception || result.GetProperty("ended_inner").GetString() == exception;
}
