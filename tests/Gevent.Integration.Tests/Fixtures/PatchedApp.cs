using System.Text.Json;
using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Integration.Tests.Fixtures;

/// <summary>
/// A test asset published once (from the build that came with this test assembly) into a temporary
/// folder, and two copies of it patched as a folder by the gevent-patch CLI, as a user would: as by default,
/// and with resumable frames (tier 2), so each scenario can run both ways.
/// </summary>
public abstract class PatchedApp : IDisposable
{
    private readonly Scratch _scratch = new();
    private readonly string _name;

    /// <summary>Publishes testassets/<paramref name="project"/> and patches a copy of the output.</summary>
    protected PatchedApp(string project)
    {
        _name = project;
        Unpatched = _scratch["unpatched"];
        var published = Processes.Dotnet("publish", Path.Combine(Repository.Root, "testassets", project), "-c", Repository.Configuration, "--no-build", "-o", Unpatched);
        Assert.True(published.ExitCode == 0, published.ToString());
        Patched = _scratch["patched"];
        PatchOutput = Processes.Tool("patch", Unpatched, "-o", Patched);
        Assert.True(PatchOutput.ExitCode == 0, PatchOutput.ToString());
        PatchedResumable = _scratch["patched-resumable"];
        var resumable = Processes.Tool("patch", Unpatched, "-o", PatchedResumable, "--resumable-frames");
        Assert.True(resumable.ExitCode == 0, resumable.ToString());
    }

    /// <summary>The publish output as built.</summary>
    public string Unpatched { get; }

    /// <summary>The publish output after <c>gevent-patch patch</c>.</summary>
    public string Patched { get; }

    /// <summary>The publish output after <c>gevent-patch patch --resumable-frames</c>.</summary>
    public string PatchedResumable { get; }

    /// <summary><see cref="PatchedResumable"/> when <paramref name="resumableFrames"/>, else <see cref="Patched"/>.</summary>
    public string PatchedWith(bool resumableFrames) => resumableFrames ? PatchedResumable : Patched;

    /// <summary>What the CLI printed (patching without resumable frames).</summary>
    internal ProcessResult PatchOutput { get; }

    /// <summary>Runs the app in <paramref name="folder"/>; see <see cref="RunJson"/>.</summary>
    public JsonElement Run(string folder, TimeSpan limit, params string[] arguments) =>
        RunJson(Path.Combine(folder, _name + ".dll"), limit, arguments);

    /// <summary>
    /// Runs the app <paramref name="dll"/> and parses the one JSON line it prints; fails (killing it) if
    /// it runs longer than <paramref name="limit"/>, so a hub blocked by an unpatched wait fails fast.
    /// </summary>
    public static JsonElement RunJson(string dll, TimeSpan limit, params string[] arguments) =>
        RunJson(dll, limit, new Dictionary<string, string>(), arguments);

    /// <summary><see cref="RunJson(string, TimeSpan, string[])"/> with extra <paramref name="environment"/> variables.</summary>
    public static JsonElement RunJson(string dll, TimeSpan limit, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var process = Processes.Start([dll, .. arguments], environment: environment);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(dll)} {string.Join(' ', arguments)} did not finish within {limit.TotalSeconds} s:\n{Processes.Run(process)}");
        }

        var result = Processes.Run(process);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StandardOutput).RootElement;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _scratch.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>testassets/NpgsqlGreenlets, published and patched.</summary>
public sealed class NpgsqlApp() : PatchedApp("NpgsqlGreenlets");

/// <summary>testassets/SshGreenlets, published and patched.</summary>
public sealed class SshApp() : PatchedApp("SshGreenlets");

/// <summary>testassets/PlainWebApp, published and patched: an ASP.NET Core app that references nothing of Gevent.</summary>
public sealed class PlainWebApp() : PatchedApp("PlainWebApp");
