using System.Text.Json;
using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Cli.Tests;

/// <summary>
/// Tier 2 across assemblies in the CLI: a published folder holding ResumableLibrary and ResumableConsumer (whose
/// greenlet waits inside the library) patched by one <c>gevent-patch patch --resumable-frames</c> run. The inputs
/// are woven together, so the consumer's call into the library links and its greenlet suspends stacklessly inside it.
/// </summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class ResumableLinkingTests(PublishedApps apps) : IDisposable
{
    private const string Count = "4";

    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void A_folder_patched_in_one_run_links_the_consumer_into_the_library()
    {
        var patch = Processes.Tool("patch", apps.ResumableConsumerApp, "-o", _scratch["app"], "--resumable-frames");
        var unpatched = Run(apps.ResumableConsumerApp);
        var patched = Run(_scratch["app"]);

        Assert.True(patch.ExitCode == 0, patch.ToString());
        Assert.Contains("patched ResumableLibrary.dll", patch.StandardOutput);
        // No blocking call of its own, but woven: Doubled made resumable (it calls the library's), its spawn site stackless.
        Assert.Contains("patched ResumableConsumer.dll: 0 call sites rewritten, ", patch.StandardOutput);
        Assert.Contains("spawn sites made stackless", patch.StandardOutput);
        // At its first yield the greenlet is inside the library's loop, its consumer frame saved below, on no thread.
        Assert.Contains(", stackless", patched["at_first_yield"]);
        Assert.DoesNotContain("pinned", patched["at_first_yield"]);
        Assert.Equal("before 4", patched["logged_at_first_yield"]);
        Assert.Equal("", patched["pins"]);
        // The control: as compiled, the library's yields do not give the hub back, so the greenlet ran to its end.
        Assert.Equal("ended", unpatched["at_first_yield"]);
        Assert.Equal(unpatched["result"], patched["result"]);
        Assert.Equal(unpatched["log"], patched["log"]);
        Assert.Equal("12", patched["result"]);
    }

    [Fact]
    public void Scan_names_the_sites_the_frames_leave_unlinked_and_why()
    {
        var text = Processes.Tool("scan", apps.ResumableConsumerApp, "--suspension");
        var json = Processes.Tool("scan", apps.ResumableConsumerApp, "--suspension", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        // The call through the library's interface may run an implementation that is not rewritten: a greenlet reaching it pins.
        Assert.Contains("  unlinked, VirtualCallee:\n    ResumableConsumer.Consumer::DoubledThrough+IL_", text.StandardOutput);
        Assert.Contains("ResumableLibrary.ISummer::Sum(System.Int32)", text.StandardOutput);
        // Doubled's direct call into the library links: not listed.
        Assert.DoesNotContain("Consumer::Doubled+IL_", text.StandardOutput);
        Assert.Contains("unlinked by reason: VirtualCallee 1\n", text.StandardOutput);
        Assert.True(json.ExitCode == 0, json.ToString());
        var consumer = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("suspension").EnumerateArray()
            .Single(r => r.GetProperty("assembly").GetString() == "ResumableConsumer");
        var unlinked = Assert.Single(consumer.GetProperty("unlinked").EnumerateArray());
        Assert.Equal("ResumableConsumer.Consumer::DoubledThrough", unlinked.GetProperty("method").GetString());
        Assert.Equal("VirtualCallee", unlinked.GetProperty("reason").GetString());
    }

    /// <summary>Runs the app in <paramref name="folder"/>; its <c>name=value</c> lines.</summary>
    private static Dictionary<string, string> Run(string folder)
    {
        var run = Processes.Dotnet(Path.Combine(folder, "ResumableConsumerApp.dll"), Count);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].TrimEnd('\r'));
    }
}
