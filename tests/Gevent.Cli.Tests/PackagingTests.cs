using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Cli.Tests;

/// <summary>
/// The tool package: packed from this build, installed from a local folder, run by its command name.
/// In the published-apps collection so its MSBuild run never overlaps the fixture's publishes.
/// </summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class PackagingTests : IDisposable
{
    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void The_package_installs_from_a_local_folder_as_gevent_patch()
    {
        // A private package cache, so this build's package is what gets installed, not a cached one of the same version.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = _scratch["nuget"] };
        var project = Path.Combine(Repository.Root, "src", "gevent-patch-cli");

        var pack = Processes.Program("dotnet", environment, "pack", project, "-c", Repository.Configuration, "--no-build", "-o", _scratch["packages"]);
        var install = Processes.Program("dotnet", environment, "tool", "install", "gevent-patch", "--tool-path", _scratch["tools"], "--add-source", _scratch["packages"]);
        var version = Processes.Program(_scratch["tools/gevent-patch"], environment, "--version");

        Assert.True(pack.ExitCode == 0, pack.ToString());
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith("0.", version.StandardOutput.Trim());
        // Copied into ASP.NET Core apps' folders by the installed tool, so it must come with it.
        Assert.Single(Directory.GetFiles(_scratch["tools"], "Gevent.AspNetCore.dll", SearchOption.AllDirectories));
    }
}
