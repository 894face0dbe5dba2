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
        AssertFourRounds(app.Run(app.PatchedWith(resumableFrames), s_limit, server.ConnectionString, "concurrent", "200", "warm"));
    }

    /// <summary>
    /// The "concurrent 200 warm" scenario's result: every query answered, in about four rounds of the pool of 50 (the
    /// warm-up round opened the pool's connections, so the measured one times queries, not connects).
    /// </summary>
    internal static void AssertFourRounds(JsonElement result)
    {
        Assert.True(result.GetProperty("concurrent_correct").GetInt32() == 200, result.ToString());
        // Four rounds of 0.2 s is 0.8 s, and fewer would mean the pool let more than 50 run at once. One at a time
        // takes 40 s; a quarter of that is out of a cooperative run's reach however loaded the machine, and far from
        // a serial one.
        Assert.InRange(result.GetProperty("concurrent_ms").GetInt64(), 4 * QueryMs, Serial(200) / 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Patching_is_what_makes_the_queries_concurrent(bool resumableFrames)
    {
        const int queries = 10;
        // "warm": the measured round runs on connections a first round opened, so it times the queries, not the connects
        // (10 connects at once on a loaded, freshly installed server took as long as the unpatched run's one by one).
        var unpatched = app.Run(app.Unpatched, s_limit, server.ConnectionString, "concurrent", $"{queries}", "warm");
        var patched = app.Run(app.PatchedWith(resumableFrames), s_limit, server.ConnectionString, "concurrent", $"{queries}", "warm");

        Assert.True(unpatched.GetProperty("concurrent_correct").GetInt32() == queries, unpatched.ToString());
        Assert.True(patched.GetProperty("concurrent_correct").GetInt32() == queries, patched.ToString());
        var unpatchedMs = unpatched.GetProperty("concurrent_ms").GetInt64();
        Assert.True(unpatchedMs >= Serial(queries) * 0.9, $"unpatched: expected one query after another: {unpatched}");
        // The unpatched run is the control, measured on the same machine at the same time: one query after another.
        Assert.True(patched.GetProperty("concurrent_ms").GetInt64() < unpatchedMs / 2, $"patched: expected well under the unpatched {unpatchedMs} ms: {patched}");
    }

    [Fact]
    public void A_connect_to_a_server_that_never_answers_keeps_the_hub_running_and_a_green_timeout_ends_it()
    {
        var result = app.Run(app.Patched, s_limit, server.ConnectionString, "silent");

        // The ticker sleeps 10 ms at a time beside the connect: a connect that blocked the hub would stop it. A quarter of
        // the rate it kept during a plain 1 s sleep in the same run leaves room for the connect's own work.
        var control = result.GetProperty("control_ticks").GetInt32();
        Assert.True(control > 0, result.ToString());
        Assert.True(result.GetProperty("silent_ticks").GetInt32() >= control / 4, $"the hub stalled while connecting: {result}");
        Assert.True(EndedBy(result, "Gevent.GreenTimeoutException"), result.ToString());
        // The 1 s timeout, far from the connection string's 30 s.
        Assert.True(result.GetProperty("ended_ms").GetInt64() < 15_000, $"the green timeout should end the connect: {result}");
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

    /// <summary>
    /// After the interruption, 50 greenlets hold all 50 connections of the pool at once: a connection the interruption
    /// leaked would leave one of them waiting for the pool until its timeout, which no bound on time need tell.
    /// </summary>
    private static void PoolStaysUsable(JsonElement result)
    {
        Assert.True(result.GetProperty("after_all_held").GetBoolean(), $"the pool's 50 connections should all be usable at once: {result}");
        Assert.True(result.GetProperty("after_correct").GetInt32() == 50, result.ToString());
    }

    /// <summary>How long <paramref name="queries"/> of the 0.2 s queries take one after another.</summary>
    private static long Serial(int queries) => (long)queries * QueryMs;

    private static bool EndedBy(JsonElement result, string exception) =>
        result.GetProperty("ended_by").GetString() == exception || result.GetProperty("ended_inner").GetString() == exception;
}
