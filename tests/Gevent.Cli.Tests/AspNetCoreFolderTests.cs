using System.Text.Json;
using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Cli.Tests;

/// <summary>
/// An ASP.NET Core app's publish folder gets Gevent.AspNetCore (and the runtime) listed in its deps.json, so that
/// <c>ASPNETCORE_HOSTINGSTARTUPASSEMBLIES=Gevent.AspNetCore</c> turns Gevent on; other apps get nothing of it.
/// </summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class AspNetCoreFolderTests(PublishedApps apps) : IDisposable
{
    private const string Hint = "start it with ASPNETCORE_HOSTINGSTARTUPASSEMBLIES=Gevent.AspNetCore";

    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void An_aspnetcore_folder_gets_gevent_aspnetcore_and_the_runtime_in_its_deps_json()
    {
        var result = Processes.Tool("patch", apps.PlainWebApp, "-o", _scratch["out"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("copied Gevent.AspNetCore.dll to", result.StandardOutput);
        Assert.Contains("added Gevent.AspNetCore to PlainWebApp.deps.json", result.StandardOutput);
        Assert.Contains("added Gevent.Runtime to PlainWebApp.deps.json", result.StandardOutput);
        Assert.Contains(Hint, result.StandardOutput);
        AssertListed(_scratch["out"], "Gevent.AspNetCore", "Gevent.Runtime");
        Assert.False(File.Exists(Path.Combine(apps.PlainWebApp, "Gevent.AspNetCore.dll")), "the input folder must stay untouched");
    }

    [Fact]
    public void An_aspnetcore_folder_with_nothing_to_patch_still_gets_it()
    {
        // Only the app's deps.json names ASP.NET Core here (as in a self-contained app), and no file blocks.
        var app = _scratch["app"];
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "App.runtimeconfig.json"), """{"runtimeOptions":{"framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}""");
        File.WriteAllText(Path.Combine(app, "App.deps.json"), """
            {"runtimeTarget":{"name":".NETCoreApp,Version=v10.0"},
             "targets":{".NETCoreApp,Version=v10.0":{"App/1.0.0":{},"Microsoft.AspNetCore.Mvc.Testing/10.0.0":{}}},
             "libraries":{"App/1.0.0":{"type":"project"},"Microsoft.AspNetCore.Mvc.Testing/10.0.0":{"type":"package"}}}
            """);

        var result = Processes.Tool("patch", app, "--in-place");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Hint, result.StandardOutput);
        AssertListed(app, "Gevent.AspNetCore", "Gevent.Runtime");
        Assert.True(File.Exists(Path.Combine(app, "App.deps.json.gevent-backup")), "an in-place change of the deps.json keeps a backup");
    }

    [Fact]
    public void A_console_app_folder_gets_nothing_of_aspnetcore()
    {
        var result = Processes.Tool("patch", apps.PlainNappingApp, "-o", _scratch["out"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("AspNetCore", result.Output);
        Assert.False(File.Exists(_scratch["out/Gevent.AspNetCore.dll"]));
        var libraries = Libraries(_scratch["out"]);
        Assert.DoesNotContain(libraries, l => l.StartsWith("Gevent.AspNetCore/", StringComparison.Ordinal));
    }

    [Fact]
    public void Patching_the_patched_folder_again_changes_nothing()
    {
        Processes.Tool("patch", apps.PlainWebApp, "-o", _scratch["out"]);
        var deps = File.ReadAllText(_scratch["out/PlainWebApp.deps.json"]);

        var again = Processes.Tool("patch", _scratch["out"], "--in-place");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already patched PlainWebApp.dll", again.StandardOutput);
        Assert.DoesNotContain("copied", again.StandardOutput);
        Assert.DoesNotContain("added", again.StandardOutput);
        Assert.Contains(Hint, again.StandardOutput);
        Assert.Equal(deps, File.ReadAllText(_scratch["out/PlainWebApp.deps.json"]));
        Assert.Empty(Directory.GetFiles(_scratch["out"], "*.gevent-backup"));
    }

    [Theory]
    [InlineData("PlainWebApp.deps.json", "{ not json", "PlainWebApp.deps.json is not valid JSON")]
    [InlineData("PlainWebApp.deps.json", "[]", "PlainWebApp.deps.json does not hold a JSON object")]
    [InlineData("PlainWebApp.runtimeconfig.json", "{", "PlainWebApp.runtimeconfig.json is not valid JSON")]
    public void A_malformed_json_file_is_named_in_the_error(string file, string content, string message)
    {
        var app = _scratch.CopyFolder(apps.PlainWebApp, "app");
        File.WriteAllText(Path.Combine(app, file), content);

        var result = Processes.Tool("patch", app, "-o", _scratch["out"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"could not deploy Gevent.AspNetCore to {_scratch["out"]}", result.StandardError);
        Assert.Contains(message, result.StandardError);
    }

    private static void AssertListed(string folder, params string[] names)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, Directory.GetFiles(folder, "*.deps.json").Single())));
        var root = document.RootElement;
        var target = root.GetProperty("targets").GetProperty(root.GetProperty("runtimeTarget").GetProperty("name").GetString()!);
        foreach (var name in names)
        {
            Assert.True(File.Exists(Path.Combine(folder, name + ".dll")), $"{name}.dll is missing from {folder}");
            var library = Assert.Single(root.GetProperty("libraries").EnumerateObject(), l => l.Name.StartsWith(name + "/", StringComparison.Ordinal));
            Assert.Equal("project", library.Value.GetProperty("type").GetString());
            var entry = Assert.Single(target.EnumerateObject(), t => t.Name == library.Name);
            Assert.True(entry.Value.GetProperty("runtime").TryGetProperty(name + ".dll", out _), $"{library.Name} has no runtime asset {name}.dll");
        }
    }

    private static List<string> Libraries(string folder)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(folder, "*.deps.json").Single()));
        return document.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name).ToList();
    }
}
