using System.Globalization;
using Npgsql;

// BENCH_MIN_THREADS raises the thread pool's floor, the usual remedy for blocking handlers that the bench measures
// beside Gevent. BENCH_POSTGRES is the connection string of the /pg endpoints (unset: they answer 500).
var builder = WebApplication.CreateBuilder(args);
if (Environment.GetEnvironmentVariable("BENCH_MIN_THREADS") is { } minThreads)
{
    ThreadPool.GetMinThreads(out _, out var completionPortThreads);
    ThreadPool.SetMinThreads(int.Parse(minThreads, CultureInfo.InvariantCulture), completionPortThreads);
}

var postgres = Environment.GetEnvironmentVariable("BENCH_POSTGRES") is { } connectionString
    ? NpgsqlDataSource.Create(connectionString)
    : null;
NpgsqlDataSource Postgres() => postgres ?? throw new InvalidOperationException("BENCH_POSTGRES is not set");

var app = builder.Build();
const int blockMilliseconds = 50;

app.MapGet("/hello", () => "Hello, World!");

// The blocking handlers, as legacy code blocks.
app.MapGet("/sleep", () =>
{
    Thread.Sleep(blockMilliseconds);
    return "slept";
});
app.MapGet("/delay-wait", () =>
{
    Task.Delay(blockMilliseconds).Wait();
    return "waited";
});
app.MapGet("/pg", () =>
{
    using var connection = Postgres().OpenConnection();
    using var command = new NpgsqlCommand("SELECT pg_sleep(0.05)", connection);
    command.ExecuteNonQuery();
    return "queried";
});

// The same waits written with await: the figure the blocking handlers are held to.
app.MapGet("/await/delay", async () =>
{
    await Task.Delay(blockMilliseconds);
    return "waited";
});
app.MapGet("/await/pg", async () =>
{
    await using var connection = await Postgres().OpenConnectionAsync();
    await using var command = new NpgsqlCommand("SELECT pg_sleep(0.05)", connection);
    await command.ExecuteNonQueryAsync();
    return "queried";
});

app.Run();
