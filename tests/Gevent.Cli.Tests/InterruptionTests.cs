using System.Diagnostics;
using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Cli.Tests;

/// <summary>A run stopped part-way leaves every file either original or fully patched.</summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class InterruptionTests(PublishedApps apps) : IDisposable
{
    private const int Copies = 40;

    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public void Every_file_is_original_or_fully_patched(string signal)
    {
        var folder = _scratch["libs"];
        Directory.CreateDirectory(folder);
        var original = File.ReadAllBytes(apps.Library);
        for (var i = 0; i < Copies; i++)
        {
            File.WriteAllBytes(Path.Combine(folder, $"Lib{i:00}.dll"), original);
        }

        using var tool = Processes.Start([Repository.Tool, "patch", folder, "--in-place", "--no-backup"]);
        WaitForFirstPatchedFile(folder, original, tool);
        Process.Start("kill", ["-" + signal, tool.Id.ToString()])!.WaitForExit();
        var result = Processes.Run(tool);

        if (signal == "TERM")
        {
            Assert.True(result.ExitCode is 0 or 1, result.ToString());
            Assertions.NoTemporaryFiles(folder);
        }

        // A hard kill may leave the temporary file it was writing: never the target itself.
        foreach (var file in Directory.GetFiles(folder, "Lib*.dll").Where(f => !f.Contains("gevent-tmp", StringComparison.Ordinal)))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.True(bytes.AsSpan().SequenceEqual(original) || Craft.Marker(file) is not null, $"{file} is neither original nor patched");
        }
    }

    private static void WaitForFirstPatchedFile(string folder, byte[] original, Process tool)
    {
        var deadline = Stopwatch.StartNew();
        while (!tool.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(30)
               && Directory.GetFiles(folder, "Lib*.dll").All(f => new FileInfo(f).Length == original.Length))
        {
            Thread.Sleep(10);
        }
    }
}
