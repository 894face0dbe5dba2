using System.Diagnostics;

namespace Gevent.Tests.Configuration;

public class GeventConfigTests
{
    [Theory]
    [InlineData("GEVENT_LOOP", "kqueue", "allowed values: epoll, select")]
    [InlineData("GEVENT_MAX_GREENLETS", "many", "allowed values: 1 to")]
    [InlineData("GEVENT_MAX_GREENLETS", "0", "allowed values: 1 to")]
    [InlineData("GEVENT_MAX_GREENLETS", "99999999", "allowed values: 1 to")]
    [InlineData("GEVENT_HUB_AFFINITY", "sometimes", "allowed values: true, false")]
    [InlineData("GEVENT_MONITOR_THREAD_ENABLE", "maybe", "allowed values: true, false")]
    [InlineData("GEVENT_MAX_BLOCKING_TIME", "100ms", "allowed values: a positive number of seconds")]
    [InlineData("GEVENT_MAX_BLOCKING_TIME", "-1", "allowed values: a positive number of seconds")]
    [InlineData("GEVENT_RESOLVER", "ares", "allowed values: thread, block")]
    [InlineData("GEVENT_HUBS", "all", "allowed values: 1 to 1024, or auto")]
    [InlineData("GEVENT_HUBS", "0", "allowed values: 1 to 1024, or auto")]
    [InlineData("GEVENT_HUBS", "5000", "allowed values: 1 to 1024, or auto")]
    public void AnInvalidVariableNamesItselfAndTheAllowedValues(string variable, string value, string allowed)
    {
        var thrown = Assert.Throws<GeventConfigurationException>(() =>
            GeventConfig.FromEnvironment(name => name == variable ? value : null));
        Assert.Equal(variable, thrown.Variable);
        Assert.StartsWith(variable, thrown.Message);
        Assert.Contains(value, thrown.Message);
        Assert.Contains(allowed, thrown.Message);
    }

    [Fact]
    public void ValidVariablesAreRead()
    {
        var config = GeventConfig.FromEnvironment(name => name switch
        {
            "GEVENT_LOOP" => "select",
            "GEVENT_MAX_GREENLETS" => "123",
            "GEVENT_HUB_AFFINITY" => "false",
            "GEVENT_MONITOR_THREAD_ENABLE" => "1",
            "GEVENT_MAX_BLOCKING_TIME" => "0.25",
            "GEVENT_RESOLVER" => " Block ",
            _ => null,
        });
        Assert.Equal(ResolverKind.Block, config.Resolver);
        Assert.Equal(ResolverKind.Thread, GeventConfig.FromEnvironment(_ => null).Resolver);
        Assert.True(config.MonitorThreadEnabled);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.MaxBlockingTime);
        Assert.Equal(LoopBackendKind.Select, config.Loop);
        Assert.Equal(123, config.MaxGreenlets);
        Assert.False(config.HubCpuAffinity);
    }

    [Fact]
    public void TheDefaultLimitAllowsTenThousandGreenletsHereAndStaysUnderTheCeiling()
    {
        var config = GeventConfig.FromEnvironment(_ => null);
        Assert.InRange(config.MaxGreenlets, 1, SystemLimits.GreenletCeiling);
        if (OperatingSystem.IsLinux() && File.ReadAllText("/proc/sys/vm/max_map_count").Trim() == "65530")
        {
            // 65530 mappings at ~4 per thread: the process would abort near 16,300 threads.
            Assert.InRange(config.MaxGreenlets, 10_000, 16_000);
        }
    }

    [Fact]
    public void SettingsAreFrozenOnceAHubStarted()
    {
        HubTest.Run(() => Assert.NotNull(Hub.Current));
        Assert.True(GeventConfig.Current.IsFrozen);
        Assert.Throws<InvalidOperationException>(() => GeventConfig.Current.MaxGreenlets = 10);
    }

    [Fact]
    public void SpawningPastTheLimitThrowsAClearExceptionAndTheProcessLives()
    {
        var (exitCode, output, error) = RunProbe("limit", ("GEVENT_MAX_GREENLETS", "100"));
        Assert.True(exitCode == 0, $"probe exited {exitCode}: {error}");
        Assert.Contains("alive: 100", output);
        Assert.Contains("refused: Cannot start another greenlet: 100 are alive, the limit (GEVENT_MAX_GREENLETS)", output);
        Assert.Contains("dead after KillAll: 100", output);
    }

    [Fact]
    public void AnInvalidVariableFailsAtStart()
    {
        var (exitCode, _, error) = RunProbe("limit", ("GEVENT_LOOP", "bogus"));
        Assert.NotEqual(0, exitCode);
        Assert.Contains("GEVENT_LOOP: 'bogus' is not a loop backend; allowed values: epoll, select.", error);
    }

    [Fact]
    public void TheMonitorEnabledFromTheEnvironmentPrintsItsReport()
    {
        var (exitCode, output, error) = RunProbe("spin", ("GEVENT_MONITOR_THREAD_ENABLE", "true"), ("GEVENT_MAX_BLOCKING_TIME", "0.1"));
        Assert.True(exitCode == 0, $"probe exited {exitCode}: {error}");
        // At least the hog; on a loaded machine the main greenlet's own start-up (JIT) may be reported too.
        Assert.Matches("reports: [1-9]", output);
        Assert.Matches(@"Warning: Gevent\.Monitor \(hub \d+\): Greenlet 'probe hog'", error);
        Assert.Contains("without yielding", error);
    }

    [Fact]
    public void WithoutTheMonitorNothingIsReported()
    {
        var (exitCode, output, error) = RunProbe("spin");
        Assert.True(exitCode == 0, $"probe exited {exitCode}: {error}");
        Assert.Contains("reports: 0", output);
        Assert.DoesNotContain("Gevent.Monitor", error);
    }

    internal static (int ExitCode, string Output, string Error) RunProbe(string scenario, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RuntimeProbe.dll"), scenario])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the probe hung");
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void GeventHubs_IsOnePerCpuByDefaultAndForAuto_OrACount()
    {
        Assert.Equal(GeventConfig.HubsPerCpu, GeventConfig.FromEnvironment(_ => null).Hubs);
        Assert.Equal(3, GeventConfig.FromEnvironment(name => name == "GEVENT_HUBS" ? " 3 " : null).Hubs);
        Assert.Equal(GeventConfig.HubsPerCpu, GeventConfig.FromEnvironment(name => name == "GEVENT_HUBS" ? "AUTO" : null).Hubs);
        Assert.True(GeventConfig.HubsPerCpu >= 1);
    }
}
