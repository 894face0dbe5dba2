using System.Text.Json;
using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Cli.Tests;

/// <summary>A real <c>dotnet publish</c> output patched as a folder, then run with <c>dotnet app.dll</c>.</summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class FolderModeTests(PublishedApps apps) : IDisposable
{
    private const int Greenlets = 5;
    private const int PeriodMs = 400;

    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Scan_with_suspension_analyses_the_app_and_its_library_together()
    {
        var text = Processes.Tool("scan", apps.NappingApp, "--suspension");
        var json = Processes.Tool("scan", apps.NappingApp, "--suspension", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        // Napper.Nap blocks; the app's lambda that calls it is suspendable only because the library is scanned with it.
        Assert.Contains("suspension NappingLibrary: 1 suspendable methods, 1 capturable stacklessly, 0 would pin", text.StandardOutput);
        // Only the lambda: Greenlet.Spawn schedules it rather than running it, so neither Main nor the Select lambda
        // that spawns it is on a suspendable path.
        Assert.Contains("suspension NappingApp: 1 suspendable methods, 1 capturable stacklessly, 0 would pin", text.StandardOutput);
        // The lambda's call into the library links, as the frames would weave them together.
        Assert.Contains("pins by reason: none; unlinked by reason: none", text.StandardOutput);
        Assert.True(json.ExitCode == 0, json.ToString());
        var reports = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("suspension").EnumerateArray().ToList();
        var app = reports.Single(r => r.GetProperty("assembly").GetString() == "NappingApp");
        Assert.Equal(1, app.GetProperty("suspendableMethods").GetInt32());
        Assert.Empty(app.GetProperty("pins").EnumerateArray());
    }

    [Fact]
    public void Greenlets_calling_a_patched_library_nap_concurrently()
    {
        var result = Processes.Tool("patch", apps.NappingApp, "-o", _scratch["app"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("patched NappingLibrary.dll: 1 call sites rewritten", result.StandardOutput);
        Assert.DoesNotContain("Gevent.Runtime.dll", result.StandardOutput);
        var unpatched = Elapsed(apps.NappingApp);
        var patched = Elapsed(_scratch["app"]);
        Assert.True(unpatched >= Greenlets * PeriodMs * 0.9, $"unpatched took {unpatched} ms: expected the greenlets to nap one after another");
        // The unpatched run is the control, measured on the same machine: about one period against five. Three quarters
        // of it, not half: on a loaded machine the patched run's start-up (JIT, the hub's threads) took 4 periods once.
        Assert.True(patched < unpatched * 3 / 4, $"patched took {patched} ms: expected about one period ({PeriodMs} ms), well under the unpatched {unpatched} ms");
    }

    [Fact]
    public void An_app_without_the_runtime_gets_it_copied_and_listed_in_its_deps_json()
    {
        var result = Processes.Tool("patch", apps.PlainNappingApp, "-o", _scratch["app"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("added Gevent.Runtime to PlainNappingApp.deps.json", result.StandardOutput);
        Assert.True(File.Exists(_scratch["app/Gevent.Runtime.dll"]));
        var libraries = JsonDocument.Parse(File.ReadAllText(_scratch["app/PlainNappingApp.deps.json"])).RootElement.GetProperty("libraries");
        Assert.Contains(libraries.EnumerateObject(), l => l.Name.StartsWith("Gevent.Runtime/", StringComparison.Ordinal));
        var run = Processes.Dotnet(_scratch["app/PlainNappingApp.dll"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("gevent_runtime_loaded=True", run.StandardOutput);
    }

    [Fact]
    public void The_patched_folder_verifies_and_an_invalid_method_is_named()
    {
        Processes.Tool("patch", apps.NappingApp, "-o", _scratch["app"]);

        var verified = Processes.Tool("verify", _scratch["app"]);
        Craft.BreakIl(_scratch["app/NappingLibrary.dll"], "NappingLibrary.Napper", "Nap");
        var broken = Processes.Tool("verify", _scratch["app"]);

        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Contains("ok ", verified.StandardOutput);
        Assert.True(broken.ExitCode == 1, broken.ToString());
        Assert.Contains("NappingLibrary.Napper.Nap: invalid IL", broken.StandardError);
    }

    [Fact]
    public void In_place_with_backups_then_restore_gives_back_every_byte()
    {
        var app = _scratch.CopyFolder(apps.PlainNappingApp, "app");
        var originals = Directory.GetFiles(app).ToDictionary(f => f, File.ReadAllBytes);

        var patched = Processes.Tool("patch", app, "--in-place");
        var again = Processes.Tool("patch", app, "--in-place");
        var restored = Processes.Tool("restore", app);

        Assert.True(patched.ExitCode == 0, patched.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already patched NappingLibrary.dll", again.StandardOutput);
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Contains("3 files restored", restored.StandardOutput);
        foreach (var (file, bytes) in originals)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
        }

        Assert.Empty(Directory.GetFiles(app, "*.gevent-backup"));
    }

    [Fact]
    public void Framework_assemblies_in_the_folder_are_left_alone()
    {
        // As a self-contained publish carries them.
        var app = _scratch.CopyFolder(apps.PlainNappingApp, "app");
        var framework = _scratch.Copy(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Net.Sockets.dll"), "app/System.Net.Sockets.dll");
        var before = File.ReadAllBytes(framework);

        var result = Processes.Tool("patch", app, "-o", _scratch["out"], "--verbose");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("unchanged PlainNappingApp.dll", result.StandardOutput);
        Assert.Contains("Napper.Nap+IL_0001: System.Threading.Thread::Sleep(System.Int32) -> Gevent.Patches.ThreadPatches::Sleep", result.StandardOutput);
        Assert.DoesNotContain("System.Net.Sockets", result.Output);
        Assert.Equal(before, File.ReadAllBytes(_scratch["out/System.Net.Sockets.dll"]));
    }

    [Fact]
    public void A_progress_bar_is_drawn_on_a_terminal_only()
    {
        // script(1) runs the tool on a pseudo-terminal and copies what it drew to its own output.
        var command = $"dotnet {Repository.Tool} patch {apps.PlainNappingApp} -o {_scratch["terminal"]}";
        var onTerminal = Processes.Program("script", new Dictionary<string, string>(), "-qec", command, "/dev/null");
        var redirected = Processes.Tool("patch", apps.PlainNappingApp, "-o", _scratch["redirected"]);

        Assert.True(onTerminal.ExitCode == 0, onTerminal.ToString());
        Assert.Contains("] 2/2 ", onTerminal.StandardOutput);
        Assert.DoesNotContain("] 2/2 ", redirected.Output);
        Assert.Contains("1 files patched", redirected.StandardOutput);
    }

    [Fact]
    public void Restore_without_backups_fails()
    {
        var result = Processes.Tool("restore", _scratch.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no .gevent-backup backup", result.StandardError);
    }

    private static long Elapsed(string app)
    {
        var run = Processes.Dotnet(Path.Combine(app, "NappingApp.dll"), Greenlets.ToString(), PeriodMs.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        return long.Parse(run.StandardOutput.Trim().Split('=')[1]);
    }
}
