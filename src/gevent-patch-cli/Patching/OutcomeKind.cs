namespace Gevent.Cli.Patching;

/// <summary>What became of one input.</summary>
internal enum OutcomeKind
{
    /// <summary>Blocking call sites were rewritten (or would be, in a dry run).</summary>
    Patched,

    /// <summary>No blocking call to rewrite: left as it was (copied unchanged to an output folder).</summary>
    NothingToPatch,

    /// <summary>Already carries this engine's marker: left as it was.</summary>
    AlreadyPatched,

    /// <summary>Not a managed assembly, found in a folder: not ours to patch, not an error.</summary>
    Skipped,

    /// <summary>Refused or failed; the file is left byte-identical.</summary>
    Failed,
}
