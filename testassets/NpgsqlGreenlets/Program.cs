using System.Diagnostics;
using System.Text.Json;
using Gevent;
using Npgsql;

// usage: NpgsqlGreenlets CONNECTION_STRING SCENARIO [COUNT]
//   concurrent COUNT: COUNT greenlets each run "SELECT i FROM pg_sleep(0.2)"
//   timeout: "SELECT pg_sleep(10)" under a 0.3 s GreenTimeout (and whether it says it expired), then 50 concurrent queries through the pool
//   kill: a greenlet killed 0.3 s into "SELECT pg_sleep(10)" (it ends killed, though Npgsql wraps the kill), then 50 concurrent queries through the pool
// Prints one JSON object on standard output.
var connectionString = args[0];
var result = new Dictionary<string, object?>();
var total = Stopwatch.StartNew();
switch (args[1])
{
    case "concurrent":
        Concurrent(int.Parse(args[2]), "concurrent");
        break;
    case "timeout":
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

        Concurrent(50, "after");
        break;
    case "kill":
        var victim = Greenlet.Spawn(() => Scalar("SELECT pg_sleep(10)"));
        Greenlet.Sleep(TimeSpan.FromSeconds(0.3));
        var killed = Stopwatch.StartNew();
        victim.Kill(timeout: TimeSpan.FromSeconds(5));
        result["dead"] = victim.Dead;
        result["successful"] = victim.Successful;
        Ended(victim.Exception, killed);
        Concurrent(50, "after");
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
    result[$"{prefix}_correct"] = greenlets.Select((g, i) => g.Successful && Equals(g.Value, i)).Count(ok => ok);
    result[$"{prefix}_error"] = greenlets.Select(g => g.Exception?.ToString()).FirstOrDefault(e => e is not null);
}

// Records how long the interrupted query took to end and the exception (and inner exception) it ended with.
void Ended(Exception? exception, Stopwatch stopwatch)
{
    result["ended_ms"] = stopwatch.ElapsedMilliseconds;
    result["ended_by"] = exception?.GetType().FullName;
    result["ended_inner"] = exception?.InnerException?.GetType().FullName;
}

object? Scalar(string sql)
{
    using var connection = new NpgsqlConnection(connectionString);
    connection.Open();
    using var command = new NpgsqlCommand(sql, connection);
    return command.ExecuteScalar();
}
