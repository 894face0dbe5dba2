using System.Diagnostics;
using System.Text.Json;
using Gevent;
using Npgsql;

// usage: NpgsqlGreenlets CONNECTION_STRING SCENARIO [COUNT] [warm]
//   concurrent COUNT [warm]: COUNT greenlets each run "SELECT i FROM pg_sleep(0.2)" (with warm: after a first such round,
//     so that the measured one finds the pool's connections open)
//   timeout: a first query, then "SELECT pg_sleep(10)" under a 0.3 s GreenTimeout (and whether it says it expired), then 50 greenlets hold the
//     pool's 50 connections at once
//   kill: a first query, then a greenlet killed 0.3 s into "SELECT pg_sleep(10)" (it ends killed, though Npgsql wraps the kill), then 50
//     greenlets hold the pool's 50 connections at once
//   silent: a connect to a listener that never answers, under a 1 s GreenTimeout, while a ticker greenlet counts 10 ms
//     sleeps; the same ticker's count over 1 s of plain sleep is the control
// Prints one JSON object on standard output.
var connectionString = args[0];
var result = new Dictionary<string, object?>();
var total = Stopwatch.StartNew();
switch (args[1])
{
    case "concurrent":
        if (args is [_, _, _, "warm"])
        {
            Concurrent(int.Parse(args[2]), "warm");
        }

        Concurrent(int.Parse(args[2]), "concurrent");
        break;
    case "timeout":
        OpenOneFirst();
        var timed = Stopwatch.StartNew();
        var timeout = GreenTimeout.Start(TimeSpan.FromSeconds(0.3));
        try
        {
            Scalar("SELECT pg_sleep(10)");
            Ended(null, timed);
        }
        catch (Exception e)
        {
            Ended(e, timed);
        }
        finally
        {
            timeout.Dispose();
        }

        result["expired"] = timeout.Expired;

        HeldAtOnce(50, "after");
        break;
    case "kill":
        OpenOneFirst();
        var victim = Greenlet.Spawn(() => Scalar("SELECT pg_sleep(10)"));
        Greenlet.Sleep(TimeSpan.FromSeconds(0.3));
        var killed = Stopwatch.StartNew();
        victim.Kill(timeout: TimeSpan.FromSeconds(5));
        result["dead"] = victim.Dead;
        result["successful"] = victim.Successful;
        Ended(victim.Exception, killed);
        HeldAtOnce(50, "after");
        break;
    case "silent":
        Silent();
        break;
    default:
        throw new ArgumentException($"unknown scenario {args[1]}");
}

result["total_ms"] = total.ElapsedMilliseconds;
Console.WriteLine(JsonSerializer.Serialize(result));

// Runs COUNT greenlets of 0.2 s queries; records elapsed time, how many returned their own number, and the first error.
void Concurrent(int count, string prefix)
{
    var stopwatch = Stopwatch.StartNew();
    var greenlets = Enumerable.Range(0, count).Select(i => Greenlet.Spawn(() => Scalar($"SELECT {i} FROM pg_sleep(0.2)"))).ToList();
    Greenlet.JoinAll(greenlets);
    result[$"{prefix}_ms"] = stopwatch.ElapsedMilliseconds;
    Outcomes(greenlets, prefix);
}

// Records how many greenlets returned their own number, and the first error.
void Outcomes(List<Greenlet<object?>> greenlets, string prefix)
{
    result[$"{prefix}_correct"] = greenlets.Select((g, i) => g.Successful && Equals(g.Value, i)).Count(ok => ok);
    result[$"{prefix}_error"] = greenlets.Select(g => g.Exception?.ToString()).FirstOrDefault(e => e is not null);
}

// COUNT greenlets each open a connection and keep it until all COUNT are open, then query through it: with a pool of
// COUNT, a connection an earlier interruption leaked leaves one greenlet waiting for the pool until its timeout. Whether
// all were held at once says so without a bound on time.
void HeldAtOnce(int count, string prefix)
{
    var stopwatch = Stopwatch.StartNew();
    var held = 0;
    var allHeld = new GreenEvent();
    var greenlets = Enumerable.Range(0, count).Select(i => Greenlet.Spawn(() =>
    {
        using var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
        }
        finally
        {
            // A failed open also ends the wait of the others: the run then reports the failure instead of waiting.
            if (++held == count || connection.State != System.Data.ConnectionState.Open)
            {
                allHeld.Set();
            }
        }

        allHeld.Wait();
        using var command = new NpgsqlCommand($"SELECT {i} FROM pg_sleep(0.2)", connection);
        return command.ExecuteScalar();
    })).ToList();
    Greenlet.JoinAll(greenlets);
    result[$"{prefix}_ms"] = stopwatch.ElapsedMilliseconds;
    result[$"{prefix}_all_held"] = held == count && greenlets.All(g => g.Successful);
    Outcomes(greenlets, prefix);
}

// Counts a ticker greenlet's 10 ms sleeps during 1 s of plain sleep (the control) and during a connect to a listener that
// accepts and never answers, which a 1 s GreenTimeout ends: a connect that blocked the hub would leave the ticker still.
// The connect runs twice and the second is measured: the first compiles the unpooled connect's and the timeout's code,
// CPU work on the hub that on a loaded machine took most of a second and starved the ticker (3 ticks against 42).
void Silent()
{
    Scalar("SELECT 1");
    using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
    listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
    listener.Listen(16);
    var port = ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;
    var ticks = 0;
    var ticker = Greenlet.Spawn(() =>
    {
        while (true)
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(10));
            ticks++;
        }
    });

    Greenlet.Sleep(TimeSpan.FromSeconds(1));
    result["control_ticks"] = ticks;

    var silent = new NpgsqlConnectionStringBuilder(connectionString) { Port = port, Timeout = 30, Pooling = false }.ConnectionString;
    for (var run = 0; run < 2; run++)
    {
        ticks = 0;
        var connecting = Stopwatch.StartNew();
        try
        {
            using (GreenTimeout.Start(TimeSpan.FromSeconds(1)))
            {
                using var connection = new NpgsqlConnection(silent);
                connection.Open();
            }

            Ended(null, connecting);
        }
        catch (Exception e)
        {
            Ended(e, connecting);
        }
    }

    result["silent_ticks"] = ticks;
    ticker.Kill();
}

// Records how long the interrupted query took to end and the exception (and inner exception) it ended with.
void Ended(Exception? exception, Stopwatch stopwatch)
{
    result["ended_ms"] = stopwatch.ElapsedMilliseconds;
    result["ended_by"] = exception?.GetType().FullName;
    result["ended_inner"] = exception?.InnerException?.GetType().FullName;
}

// Opens the pool's first connection (and runs Npgsql's first query) before a scenario that interrupts a running query:
// on a loaded machine a first open can take longer than the 0.3 s before the interruption, which then lands in it.
void OpenOneFirst() => Scalar("SELECT 1");

object? Scalar(string sql)
{
    using var connection = new NpgsqlConnection(connectionString);
    connection.Open();
    using var command = new NpgsqlCommand(sql, connection);
    return command.ExecuteScalar();
}
