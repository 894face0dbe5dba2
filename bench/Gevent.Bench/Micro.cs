using Gevent.Bench.Data;
using Gevent.Bench.Stackless;

namespace Gevent.Bench;

/// <summary>The <c>micro</c> command: which families run, in which order, and where the output goes.</summary>
internal static class Micro
{
    /// <summary>Only Gevent for .NET, as one JSON object on stdout and nothing else.</summary>
    public static void RunJson() => Console.WriteLine(JsonOutput.Format(HubThread.Run(() => new GreenletWorkloads().Run())));

    /// <summary>Only stackless greenlets (hand-woven bodies), as one JSON object like <see cref="RunJson"/>'s.</summary>
    public static void RunStacklessJson() => Console.WriteLine(JsonOutput.Format(HubThread.Run(StacklessWorkloads.Run)));

    public static void RunTable()
    {
        // One family at a time, so none competes with another for the two cores. Python first, while this
        // process is still small; threads before greenlets, so their 10,000 threads are gone before the
        // limit probe takes the process to its thread ceiling.
        Progress("Python gevent");
        var gevent = PythonGeventRunner.Run();
        Progress("threads");
        var threads = new ThreadWorkloads().Run();
        Progress("async/await");
        var async = AsyncWorkloads.Run();
        Progress("Gevent for .NET");
        var (ours, limit) = HubThread.Run(() => (new GreenletWorkloads().Run(), GreenletLimitProbe.Run()));
        Progress("Gevent for .NET, stackless");
        var stackless = HubThread.Run(StacklessWorkloads.Run);
        Console.WriteLine(MicroReport.Format(ours, stackless, gevent, threads, async, limit));
        Save(ours, stackless, gevent, threads, async);
    }

    /// <summary>docs/data/micro.json: every workload's figure by family, for the ratio and memory charts.</summary>
    private static void Save(FamilyResults ours, FamilyResults stackless, FamilyResults gevent, FamilyResults threads, FamilyResults async)
    {
        var families = new[]
        {
            (Families.GeventDotnet, ours), (Families.GeventDotnetStackless, stackless), (Families.PythonGevent, gevent), (Families.Threads, threads), (Families.AsyncAwait, async),
        };
        var rows = MicroWorkload.All
            .Select(w => new WorkloadRow(w.Key, w.Label, w.Unit, families.ToDictionary(f => f.Item1, f => JsonOutput.Round(f.Item2.Get(w)))))
            .ToList();
        JsonOutput.Save("micro", rows, [.. MicroReport.Notes(families.Select(f => f.Item2))]);
    }

    private static void Progress(string family) => Console.Error.WriteLine($"running {family}…");
}
