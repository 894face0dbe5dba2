using System.Text.Json;
using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Cli.Tests;

/// <summary>The command line itself: help, version, usage errors (exit 2) and the catalog.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("patch")]
    [InlineData("scan")]
    [InlineData("verify")]
    [InlineData("restore")]
    [InlineData("catalog")]
    public void Every_command_has_help(string command)
    {
        var result = Processes.Tool(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Usage: gevent-patch {command}", result.StandardOutput);
    }

    [Fact]
    public void Version_is_printed()
    {
        var result = Processes.Tool("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.", result.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("patch", "x.dll")]
    [InlineData("patch", "x.dll", "-o", "out", "--in-place")]
    [InlineData("patch")]
    [InlineData("patch", "x.dll", "--dry-run", "--bogus")]
    [InlineData("patch", "x.dll", "--dry-run", "--include", "bad pattern!")]
    [InlineData("nonsense")]
    public void Usage_errors_exit_2(params string[] arguments)
    {
        var result = Processes.Tool(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error", result.StandardError);
    }

    [Fact]
    public void The_catalog_document_shows_exactly_what_the_tool_prints()
    {
        const string heading = "## The table";
        var document = File.ReadAllText(Path.Combine(Repository.Root, "docs", "catalog.md")).ReplaceLineEndings("\n");
        var printed = Processes.Tool("catalog", "--markdown");

        Assert.True(printed.ExitCode == 0, printed.ToString());
        var table = document[(document.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..].Trim();
        Assert.True(
            table == printed.StandardOutput.ReplaceLineEndings("\n").Trim(),
            "docs/catalog.md is stale: replace everything after its last heading with the output of `gevent-patch catalog --markdown`.");
    }

    [Fact]
    public void Catalog_lists_thread_sleep_as_text_markdown_and_json()
    {
        var text = Processes.Tool("catalog");
        var markdown = Processes.Tool("catalog", "--markdown");
        var json = Processes.Tool("catalog", "--json");

        Assert.Contains("System.Threading.Thread::Sleep(System.Int32)", text.StandardOutput);
        Assert.Contains("| `System.Threading.Thread::Sleep(System.Int32)` | `Static` | `Gevent.Patches.ThreadPatches::Sleep` | `Hub` |", markdown.StandardOutput);
        var entries = JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("entries").EnumerateArray();
        Assert.Contains(entries, e => e.GetProperty("original").GetString() == "System.Threading.Thread::Yield()");
    }
}
