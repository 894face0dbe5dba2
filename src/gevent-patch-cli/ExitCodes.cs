namespace Gevent.Cli;

/// <summary>The documented process exit codes (docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>Every input was handled.</summary>
    public const int Ok = 0;

    /// <summary>At least one input failed; the others were handled and each failed file left as it was.</summary>
    public const int SomeFailed = 1;

    /// <summary>The command line itself is wrong: nothing was read or written.</summary>
    public const int Usage = 2;
}
