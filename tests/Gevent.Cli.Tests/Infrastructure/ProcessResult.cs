namespace Gevent.Cli.Tests.Infrastructure;

/// <summary>A finished process: exit code and both output streams.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for assertions on messages wherever they were written.</summary>
    public string Output => StandardOutput + StandardError;

    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
