namespace Gevent.Cli.Inputs;

/// <summary>Why a file cannot be patched. A native library found in a folder is not an error: publish folders hold them.</summary>
internal sealed record Refusal(string Message, bool IsNative)
{
    /// <summary>Whether <paramref name="input"/> is skipped quietly rather than failed.</summary>
    public bool IsSkipOf(Input input) => IsNative && input.Folder is not null;
}
