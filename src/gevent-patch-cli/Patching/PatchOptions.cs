using Gevent.Cli.Inputs;

namespace Gevent.Cli.Patching;

/// <summary>Where patched files go and how: an output folder or in place, backups, dry run, a re-signing key.</summary>
internal sealed record PatchOptions(string? OutputFolder, bool Backup, bool DryRun, StrongNameKey? Key)
{
    /// <summary>Where <paramref name="input"/> is written: under the output folder, or over itself.</summary>
    public string TargetOf(Input input) => OutputFolder is null ? input.Path : Path.Combine(OutputFolder, input.RelativePath);

    /// <summary>The folder that receives the runtime (and holds the deps.json) for <paramref name="input"/>.</summary>
    public string TargetRootOf(Input input) =>
        input.Folder is null ? Path.GetDirectoryName(TargetOf(input))! : OutputFolder ?? input.Folder;
}
