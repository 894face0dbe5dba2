namespace Gevent.Bench.AspNet;

/// <summary>
/// One handler the <c>aspnet</c> bench measures: the path of its blocking form (bench/AspNetBenchApp) and of the
/// same wait written with <c>await</c>, or null where there is nothing to await ("Hello, World!").
/// </summary>
internal sealed record AspNetHandler(string Key, string Name, string BlockingPath, string? AwaitPath)
{
    public static readonly AspNetHandler Sleep = new("sleep", "Thread.Sleep(50)", "/sleep", "/await/delay");
    public static readonly AspNetHandler DelayWait = new("delay-wait", "Task.Delay(50).Wait()", "/delay-wait", "/await/delay");
    public static readonly AspNetHandler Postgres = new("pg", "Npgsql SELECT pg_sleep(0.05)", "/pg", "/await/pg");
    public static readonly AspNetHandler Hello = new("hello", "Hello, World!", "/hello", null);

    public static readonly IReadOnlyList<AspNetHandler> All = [Sleep, DelayWait, Postgres, Hello];

    /// <summary>Whether the handler blocks (and so has the blocking targets), rather than answering at once.</summary>
    public bool Blocks => AwaitPath is not null;
}
