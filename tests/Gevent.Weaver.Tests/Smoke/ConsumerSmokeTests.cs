using System.Text.Json;

namespace Gevent.Weaver.Tests.Smoke;

/// <summary>
/// A fresh consumer project, built exactly as a user would: the two packages packed from this
/// repository into a local source, a unique version and a private package cache (no stale package
/// can be served), real Fody, then run. A referenced library that knows nothing of Gevent is patched
/// through <c>PatchReferences</c>. A second build with no change must not weave or warn.
/// </summary>
public sealed class ConsumerSmokeTests : IDisposable
{
    private const string ConsumerProgram = """
        using System.Diagnostics;
        using System.Reflection;
        using Gevent;

        var marker = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "Gevent.Patched")?.Value;
        Console.WriteLine($"marker={marker}");
        Console.WriteLine($"own={Time(() => Thread.Sleep(300))}");
        Console.WriteLine($"library={Time(() => SleepyLib.Napper.Nap(300))}");

        static long Time(Action blocking)
        {
            var stopwatch = Stopwatch.StartNew();
            Greenlet.JoinAll(Enumerable.Range(0, 50).Select(_ => Greenlet.Spawn(blocking)).ToList());
            return stopwatch.ElapsedMilliseconds;
        }
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("gevent-smoke-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void AFreshConsumerIsWovenByTheFodyPackageAndRunsConcurrently()
    {
        var packages = new LocalPackages(_root);
        var library = Directory.CreateDirectory(Path.Combine(_root, "SleepyLib")).FullName;
        File.WriteAllText(Path.Combine(library, "SleepyLib.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(library, "Napper.cs"), "namespace SleepyLib; public static class Napper { public static void Nap(int ms) => System.Threading.Thread.Sleep(ms); }");

        var consumer = packages.CreateConsumer(Path.Combine(_root, "Consumer"), """<ProjectReference Include="../SleepyLib/SleepyLib.csproj" />""", """PatchReferences="SleepyLib" Report="obj/gevent-report.json" """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), ConsumerProgram);
        var environment = packages.ConsumerEnvironment;

        var firstBuild = Dotnet.Run(consumer, environment, "build", "-nodeReuse:false");
        Assert.Contains(" 0 Warning(s)", firstBuild);
        // Fody merged the package's Gevent.Fody.xcf into the project's schema: the IDE validates and completes <Gevent />.
        Assert.Contains("name=\"PatchReferences\"", File.ReadAllText(Path.Combine(consumer, "FodyWeavers.xsd")));
        var woven = Path.Combine(consumer, "obj", "Debug", "net10.0", "Consumer.dll");
        var wovenAt = File.GetLastWriteTimeUtc(woven);
        Assert.DoesNotContain("System.Private.CoreLib", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(woven)));

        RunsWovenAndConcurrently(consumer, environment);
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(consumer, "obj", "gevent-report.json"))))
        {
            var sites = report.RootElement.EnumerateArray().Select(r => r.GetProperty("sites").EnumerateArray().Single()).ToList();
            Assert.All(sites, s => Assert.Equal("Gevent.Patches.ThreadPatches::Sleep", s.GetProperty("replacement").GetString()));
            Assert.EndsWith("Program.cs", sites[0].GetProperty("file").GetString());
            Assert.EndsWith("Napper.cs", sites[1].GetProperty("file").GetString());
        }

        var secondBuild = Dotnet.Run(consumer, environment, "build", "-nodeReuse:false");
        Assert.Contains(" 0 Warning(s)", secondBuild);
        Assert.Equal(wovenAt, File.GetLastWriteTimeUtc(woven));
        RunsWovenAndConcurrently(consumer, environment);
    }

    private static void RunsWovenAndConcurrently(string consumer, Dictionary<string, string> environment)
    {
        var output = Dotnet.Run(consumer, environment, Path.Combine(consumer, "bin", "Debug", "net10.0", "Consumer.dll"));
        Assert.Matches(@"marker=engine \S+; catalog [0-9a-f]{16}", output);
        foreach (var part in new[] { "own=", "library=" })
        {
            // 50 sleeps of 300 ms: serially 15 s. Half of that: a fifth failed at 3.1 s with the load average near 30,
            // where starting 50 greenlet threads in a fresh process takes seconds.
            var elapsed = int.Parse(output.Split(part)[1].Split('\n')[0].Trim());
            Assert.InRange(elapsed, 290, 50 * 300 / 2);
        }
    }
}
