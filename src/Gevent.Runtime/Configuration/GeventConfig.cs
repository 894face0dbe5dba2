namespace Gevent;

/// <summary>
/// The runtime's settings. Each starts from its <c>GEVENT_*</c> environment variable (read once,
/// on first use) and can be changed in code until the first hub starts; after that it is frozen.
/// An invalid variable fails that first use with a <see cref="GeventConfigurationException"/>
/// naming the variable and the values it accepts.
/// </summary>
public sealed class GeventConfig
{
    private const int DefaultThreadPoolSize = 10;
    private const int ThreadPoolCeiling = 1024;
    private const int HubCeiling = 1024;

    private static readonly object s_gate = new();
    private static GeventConfig? s_current;

    private LoopBackendKind _loop;
    private int _maxGreenlets;
    private int _threadPoolSize;
    private int _hubs;
    private bool _hubCpuAffinity;
    private bool _monitorThreadEnabled;
    private TimeSpan _maxBlockingTime;
    private ResolverKind _resolver;

    private GeventConfig(Func<string, string?> environment)
    {
        _loop = ParseLoop(environment("GEVENT_LOOP"));
        _maxGreenlets = ParseMaxGreenlets(environment("GEVENT_MAX_GREENLETS"));
        _threadPoolSize = ParseThreadPoolSize(environment("GEVENT_THREADPOOL_SIZE"));
        _hubs = ParseHubs(environment("GEVENT_HUBS"));
        _hubCpuAffinity = ParseBool("GEVENT_HUB_AFFINITY", environment("GEVENT_HUB_AFFINITY"), defaultValue: true);
        _monitorThreadEnabled = ParseBool("GEVENT_MONITOR_THREAD_ENABLE", environment("GEVENT_MONITOR_THREAD_ENABLE"), defaultValue: false);
        _maxBlockingTime = ParseSeconds("GEVENT_MAX_BLOCKING_TIME", environment("GEVENT_MAX_BLOCKING_TIME"), DefaultMaxBlockingTime);
        _resolver = ParseResolver(environment("GEVENT_RESOLVER"));
    }

    /// <summary>The default of <see cref="MaxBlockingTime"/>: 100 ms, as in gevent.</summary>
    public static TimeSpan DefaultMaxBlockingTime { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The process-wide settings, read from the environment on first access.</summary>
    public static GeventConfig Current
    {
        get
        {
            if (s_current is { } current)
            {
                return current;
            }

            lock (s_gate)
            {
                return s_current ??= new GeventConfig(Environment.GetEnvironmentVariable);
            }
        }
    }

    /// <summary>True once a hub has started; setters then throw.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary><c>GEVENT_LOOP</c> (<c>epoll</c> or <c>select</c>): the event loop's OS poller.</summary>
    public LoopBackendKind Loop
    {
        get => _loop;
        set
        {
            ThrowIfFrozen();
            if (value == LoopBackendKind.Epoll && !Gevent.Loop.Native.Libc.HasEpoll)
            {
                throw new GeventConfigurationException("GEVENT_LOOP", "epoll is only available on Linux (x64, arm64); use select.");
            }

            _loop = value;
        }
    }

    /// <summary>
    /// <c>GEVENT_MAX_GREENLETS</c>: how many greenlets may be alive at once in this process. Spawning
    /// past it throws <see cref="GreenletLimitExceededException"/>. The default and the ceiling come from
    /// <c>vm.max_map_count</c>, <c>pid_max</c> and the open-file limit. Stackless greenlets (woven code)
    /// own no thread and do not count.
    /// </summary>
    public int MaxGreenlets
    {
        get => _maxGreenlets;
        set
        {
            ThrowIfFrozen();
            _maxGreenlets = CheckMaxGreenlets(value, "MaxGreenlets");
        }
    }

    /// <summary>
    /// <c>GEVENT_THREADPOOL_SIZE</c> (1 to 1024, default 10, as gevent): the most OS threads each hub's
    /// <see cref="Hub.ThreadPool"/> runs at once.
    /// </summary>
    public int ThreadPoolSize
    {
        get => _threadPoolSize;
        set
        {
            ThrowIfFrozen();
            _threadPoolSize = CheckThreadPoolSize(value, "ThreadPoolSize");
        }
    }

    /// <summary>
    /// <c>GEVENT_HUBS</c> (1 to 1024, or <c>auto</c>: one per CPU the process may run on; default auto): how many hubs
    /// <see cref="HubGroup.Start(int?)"/> starts when not given a count, and how many a server serves on
    /// (<see cref="Servers.StreamServerOptions.Hubs"/>).
    /// </summary>
    public int Hubs
    {
        get => _hubs;
        set
        {
            ThrowIfFrozen();
            _hubs = CheckHubs(value, "Hubs");
        }
    }

    /// <summary>One hub per CPU the process may run on: what <c>GEVENT_HUBS=auto</c> means.</summary>
    internal static int HubsPerCpu => Gevent.Greenlets.Threads.CpuAffinity.Supported
        ? Gevent.Greenlets.Threads.CpuAffinity.AllowedCpus.Count
        : Environment.ProcessorCount;

    /// <summary>
    /// <c>GEVENT_HUB_AFFINITY</c> (<c>true</c> or <c>false</c>, default true): pin each hub's threads to one
    /// CPU, which makes a greenlet switch a same-CPU handoff (several times cheaper than waking another CPU).
    /// </summary>
    public bool HubCpuAffinity
    {
        get => _hubCpuAffinity;
        set
        {
            ThrowIfFrozen();
            _hubCpuAffinity = value;
        }
    }

    /// <summary>
    /// <c>GEVENT_MONITOR_THREAD_ENABLE</c> (<c>true</c> or <c>false</c>, default false): start <see cref="Hub.Monitor"/>
    /// with the first hub, logging its reports.
    /// </summary>
    public bool MonitorThreadEnabled
    {
        get => _monitorThreadEnabled;
        set
        {
            ThrowIfFrozen();
            _monitorThreadEnabled = value;
        }
    }

    /// <summary>
    /// <c>GEVENT_MAX_BLOCKING_TIME</c> (seconds, e.g. <c>0.1</c>; default 0.1): how long a greenlet may hold its hub
    /// without yielding before the monitor reports it.
    /// </summary>
    public TimeSpan MaxBlockingTime
    {
        get => _maxBlockingTime;
        set
        {
            ThrowIfFrozen();
            if (value <= TimeSpan.Zero)
            {
                throw new GeventConfigurationException("MaxBlockingTime", $"{value} is not positive; allowed values: a positive duration.");
            }

            _maxBlockingTime = value;
        }
    }

    /// <summary>
    /// <c>GEVENT_RESOLVER</c> (<c>thread</c> or <c>block</c>, default thread): how patched DNS lookups run in a greenlet —
    /// offloaded to the hub's thread pool, or the blocking original.
    /// </summary>
    public ResolverKind Resolver
    {
        get => _resolver;
        set
        {
            ThrowIfFrozen();
            _resolver = Enum.IsDefined(value)
                ? value
                : throw new GeventConfigurationException("Resolver", $"{value} is not a resolver; allowed values: thread, block.");
        }
    }

    /// <summary>Reads settings from <paramref name="environment"/> instead of the process; for tests of validation.</summary>
    internal static GeventConfig FromEnvironment(Func<string, string?> environment) => new(environment);

    internal void Freeze() => IsFrozen = true;

    private void ThrowIfFrozen()
    {
        if (IsFrozen)
        {
            throw new InvalidOperationException("GeventConfig is frozen: a hub has already started. Change settings before the first Gevent call.");
        }
    }

    private static LoopBackendKind ParseLoop(string? value)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "":
                return Gevent.Loop.Native.Libc.HasEpoll ? LoopBackendKind.Epoll : LoopBackendKind.Select;
            case "epoll" when Gevent.Loop.Native.Libc.HasEpoll:
                return LoopBackendKind.Epoll;
            case "epoll":
                throw new GeventConfigurationException("GEVENT_LOOP", "epoll is only available on Linux (x64, arm64); use select.");
            case "select":
                return LoopBackendKind.Select;
            default:
                throw new GeventConfigurationException("GEVENT_LOOP", $"'{value}' is not a loop backend; allowed values: epoll, select.");
        }
    }

    private static ResolverKind ParseResolver(string? value) =>
        value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "thread" => ResolverKind.Thread,
            "block" => ResolverKind.Block,
            _ => throw new GeventConfigurationException("GEVENT_RESOLVER", $"'{value}' is not a resolver; allowed values: thread, block."),
        };

    private static int ParseMaxGreenlets(string? value) =>
        ParseWholeNumber("GEVENT_MAX_GREENLETS", value, SystemLimits.GreenletCeiling) is { } parsed
            ? CheckMaxGreenlets(parsed, "GEVENT_MAX_GREENLETS")
            : SystemLimits.DefaultMaxGreenlets;

    private static int ParseThreadPoolSize(string? value) =>
        ParseWholeNumber("GEVENT_THREADPOOL_SIZE", value, ThreadPoolCeiling) is { } parsed
            ? CheckThreadPoolSize(parsed, "GEVENT_THREADPOOL_SIZE")
            : DefaultThreadPoolSize;

    private static int ParseHubs(string? value)
    {
        var auto = Math.Min(HubsPerCpu, HubCeiling);
        if (string.Equals(value?.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
        {
            return auto;
        }

        // Unset is auto too: a hub is one CPU's worth of work, and a server is expected to use the whole machine.
        return ParseWholeNumber("GEVENT_HUBS", value, HubCeiling, alternative: ", or auto (one per CPU)") is { } parsed
            ? CheckHubs(parsed, "GEVENT_HUBS")
            : auto;
    }

    private static int CheckHubs(int value, string name) =>
        value is >= 1 and <= HubCeiling
            ? value
            : throw new GeventConfigurationException(name, $"{value} is out of range; allowed values: 1 to {HubCeiling}, or auto (one per CPU).");

    /// <summary>The number in <paramref name="value"/>, or null when the variable is unset; <paramref name="max"/> is for the message.</summary>
    private static int? ParseWholeNumber(string variable, string? value, int max, string alternative = "")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value.Trim(), out var parsed)
            ? parsed
            : throw new GeventConfigurationException(variable, $"'{value}' is not a whole number; allowed values: 1 to {max}{alternative}.");
    }

    private static int CheckThreadPoolSize(int value, string name) =>
        value is >= 1 and <= ThreadPoolCeiling
            ? value
            : throw new GeventConfigurationException(name, $"{value} is out of range; allowed values: 1 to {ThreadPoolCeiling}.");

    private static int CheckMaxGreenlets(int value, string name)
    {
        if (value < 1 || value > SystemLimits.GreenletCeiling)
        {
            throw new GeventConfigurationException(name,
                $"{value} is out of range; allowed values: 1 to {SystemLimits.GreenletCeiling} (the most this system can run safely: {SystemLimits.Describe()}).");
        }

        return value;
    }

    private static TimeSpan ParseSeconds(string variable, string? value, TimeSpan defaultValue)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }

        if (!double.TryParse(value.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ||
            !double.IsFinite(seconds) || seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds)
        {
            throw new GeventConfigurationException(variable, $"'{value}' is not a duration; allowed values: a positive number of seconds, e.g. 0.1.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static bool ParseBool(string variable, string? value, bool defaultValue) =>
        value?.Trim().ToLowerInvariant() switch
        {
            null or "" => defaultValue,
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw new GeventConfigurationException(variable, $"'{value}' is not a boolean; allowed values: true, false (or 1, 0)."),
        };
}
