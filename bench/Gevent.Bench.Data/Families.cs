namespace Gevent.Bench.Data;

/// <summary>The keys of <see cref="WorkloadRow.Figures"/>: one per family a workload runs on.</summary>
public static class Families
{
    public const string GeventDotnet = "gevent_dotnet";
    public const string GeventDotnetStackless = "gevent_dotnet_stackless";
    public const string GeventDotnetWoven = "gevent_dotnet_woven";
    public const string PythonGevent = "python_gevent";
    public const string Threads = "threads";
    public const string AsyncAwait = "async_await";
    public const string TaskRun = "task_run";

    /// <summary>The family's name on a chart.</summary>
    public static string Label(string key) => key switch
    {
        GeventDotnet => "Gevent for .NET",
        GeventDotnetStackless => "Gevent for .NET, stackless",
        GeventDotnetWoven => "Gevent for .NET, woven stackless",
        PythonGevent => "Python gevent",
        Threads => "threads",
        AsyncAwait => "async/await",
        TaskRun => "Task.Run",
        _ => key,
    };
}
