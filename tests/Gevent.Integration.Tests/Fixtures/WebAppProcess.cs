using System.Diagnostics;
using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Integration.Tests.Fixtures;

/// <summary>
/// A published ASP.NET Core app running as <c>dotnet App.dll --urls http://127.0.0.1:PORT --contentRoot FOLDER</c>, with extra environment
/// variables; killed (with its children) on dispose unless it has already exited, so no test leaves one behind.
/// </summary>
public sealed class WebAppProcess : IDisposable
{
    private static readonly TimeSpan s_startLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;

    /// <summary>Starts <paramref name="dll"/> and waits until it accepts connections.</summary>
    public WebAppProcess(string dll, IReadOnlyDictionary<string, string> environment)
    {
        var port = ExternalProcess.FreePort();
        // Warnings only: the app would otherwise log two lines per request, which only slow a timed run.
        var variables = new Dictionary<string, string>(environment) { ["Logging__LogLevel__Default"] = "Warning" };
        // The content root is the app's folder, as when a deployed app runs from there: its wwwroot is found there.
        _process = Processes.Start([dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", Path.GetDirectoryName(Path.GetFullPath(dll))!], environment: variables);
        _output = _process.StandardOutput.ReadToEndAsync();
        _error = _process.StandardError.ReadToEndAsync();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            ExternalProcess.WaitForPort(port, s_startLimit, () => _process.HasExited ? Output() : "still starting");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A client whose base address is the app.</summary>
    public HttpClient Client { get; }

    /// <summary>Asks the app to stop as a service manager does (SIGTERM) and waits up to <paramref name="limit"/> for it to exit.</summary>
    public bool Terminate(TimeSpan limit)
    {
        var kill = Processes.Program("kill", new Dictionary<string, string>(), "-TERM", $"{_process.Id}");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        return _process.WaitForExit(limit);
    }

    /// <summary>The app's exit code, once it has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>What the app printed so far, once it has exited (for failure messages).</summary>
    public string Output() => _process.HasExited ? $"exit {_process.ExitCode}\n{_output.Result}\n{_error.Result}" : "(running)";

    /// <inheritdoc />
    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
