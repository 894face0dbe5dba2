using System.Security.Cryptography;
using Gevent.Cli.Files;
using Gevent.Cli.Inputs;
using Gevent.Cli.Output;
using Gevent.Cli.Patching;
using McMaster.Extensions.CommandLineUtils;

namespace Gevent.Cli.Commands;

/// <summary><c>gevent-patch patch</c>: rewrites assemblies or a publish folder, to an output folder or in place.</summary>
[Command("patch", Description = "Patch assemblies or a published app folder (to -o DIR, or --in-place with backups).")]
internal sealed class PatchCommand : FilteredCommandBase
{
    /// <summary>Where patched files go.</summary>
    [Option("-o|--output <DIR>", Description = "Write patched files (and, for a folder, the whole app) under DIR; inputs stay untouched.")]
    public string? Output { get; set; }

    /// <summary>Replace the inputs themselves.</summary>
    [Option("--in-place", Description = "Replace the inputs (each kept as FILE.gevent-backup unless --no-backup).")]
    public bool InPlace { get; set; }

    /// <summary>Keep no backup when patching in place.</summary>
    [Option("--no-backup", Description = "With --in-place: keep no backups (restore then has nothing to put back).")]
    public bool NoBackup { get; set; }

    /// <summary>Report without writing anything.</summary>
    [Option("--dry-run", Description = "Say what would be patched; write nothing.")]
    public bool DryRun { get; set; }

    /// <summary>Where the engine's JSON report goes.</summary>
    [Option("--report <FILE>", Description = "Write every site of every assembly as JSON to FILE.")]
    public string? ReportFile { get; set; }

    /// <summary>The key to re-sign strong-named assemblies with.</summary>
    [Option("--key <FILE.snk>", Description = "Re-sign strong-named assemblies with this key pair (it must be their own key).")]
    public string? KeyFile { get; set; }

    private int OnExecute()
    {
        if (Output is not null && InPlace)
        {
            return UsageError("choose one of -o DIR and --in-place.");
        }

        if (Output is null && !InPlace && !DryRun)
        {
            return UsageError("say where patched files go: -o DIR, or --in-place (or look first with --dry-run).");
        }

        if (Filter() is not { } filter || !TryLoadKey(out var key))
        {
            return ExitCodes.Usage;
        }

        var set = InputExpander.Expand(Paths);
        var output = Output is null ? null : Path.GetFullPath(Output);
        if (output is not null && set.Folders.FirstOrDefault(f => IsWithin(output, f)) is { } folder)
        {
            return UsageError($"the output folder {output} is inside the input folder {folder}: choose a folder outside it, or --in-place.");
        }

        var options = new PatchOptions(output, InPlace && !NoBackup, DryRun, key);
        if (output is not null && set.Inputs.FirstOrDefault(i => options.TargetOf(i) == i.Path) is { } overwritten)
        {
            return UsageError($"-o {Output} would write {overwritten.Path} over itself: use --in-place (which keeps a backup) or another folder.");
        }

        if (output is not null && !DryRun && OutputRefusal(output) is { } refusal)
        {
            Reporter.Error(refusal);
            return ExitCodes.SomeFailed;
        }

        var result = new PatchRun(options, filter, !Json, resumableFrames: ResumableFrames).Run(set);
        if (ReportFile is not null)
        {
            AtomicFile.WriteText(ReportFile, Weaver.WeaveReport.ToJson(result.Outcomes.Select(o => o.Report).OfType<Weaver.WeaveReport>()));
        }

        return RunPrinter.Print(Reporter, set, result, DryRun, fullReports: false);
    }

    /// <summary>Loads the --key file, if given; false (reported) when it cannot be used.</summary>
    private bool TryLoadKey(out StrongNameKey? key)
    {
        key = null;
        try
        {
            key = KeyFile is null ? null : StrongNameKey.Load(KeyFile);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            UsageError($"--key {KeyFile}: {e.Message}");
            return false;
        }
    }

    /// <summary>Why the output folder cannot be written, or null when a file can be created in it.</summary>
    private static string? OutputRefusal(string output)
    {
        try
        {
            var probe = Path.Combine(output, ".gevent-patch-probe");
            AtomicFile.WriteText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the output folder {output} cannot be written: {e.Message}";
        }
    }

    private static bool IsWithin(string path, string folder) =>
        (Path.GetFullPath(path) + Path.DirectorySeparatorChar).StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
