using System.Text.Json.Nodes;
using Gevent.Cli.Files;
using Gevent.Cli.Output;
using McMaster.Extensions.CommandLineUtils;

namespace Gevent.Cli.Commands;

/// <summary><c>gevent-patch restore</c>: puts the backups of an in-place patch back.</summary>
[Command("restore", Description = "Put back the originals an in-place patch kept as *.gevent-backup (files, or every backup under a folder).")]
internal sealed class RestoreCommand : PathsCommandBase
{
    private int OnExecute()
    {
        var reporter = Reporter;
        var failed = false;
        var restored = new JsonArray();
        foreach (var path in Paths)
        {
            var backups = File.Exists(path) || Directory.Exists(path) ? Backups.Find(path).ToList() : [];
            if (backups.Count == 0)
            {
                Reporter.Error($"{path}: no such file or folder, or no {Backups.Suffix} backup of it to restore.");
                failed = true;
            }

            foreach (var backup in backups)
            {
                try
                {
                    var original = Backups.Restore(backup);
                    restored.Add(original);
                    reporter.Line($"restored {original}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Reporter.Error($"{backup}: cannot be restored: {e.Message}");
                    failed = true;
                }
            }
        }

        reporter.Line($"{restored.Count} files restored");
        if (Json)
        {
            Reporter.Document(new JsonObject { ["restored"] = restored });
        }

        return failed ? ExitCodes.SomeFailed : ExitCodes.Ok;
    }
}
