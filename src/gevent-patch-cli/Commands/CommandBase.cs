using Gevent.Cli.Output;
using McMaster.Extensions.CommandLineUtils;

namespace Gevent.Cli.Commands;

/// <summary>Options every command shares: <c>--json</c> and <c>--verbose</c>.</summary>
internal abstract class CommandBase
{
    /// <summary>Print one JSON document on standard output instead of text.</summary>
    [Option("--json", Description = "Print one JSON document on standard output (messages go to standard error).")]
    public bool Json { get; set; }

    /// <summary>Print details: every rewritten site, skipped and unchanged files.</summary>
    [Option("-v|--verbose", Description = "Print every rewritten call site and every file left unchanged or skipped.")]
    public bool Verbose { get; set; }

    /// <summary>The reporter these options ask for.</summary>
    protected Reporter Reporter => new(Verbose, Json);

    /// <summary>Reports an argument that failed validation (McMaster's convention) as a usage error.</summary>
    protected int OnValidationError(System.ComponentModel.DataAnnotations.ValidationResult result) =>
        UsageError(result.ErrorMessage ?? "invalid arguments (see --help)");

    /// <summary>Reports a usage error and returns its exit code.</summary>
    protected static int UsageError(string message)
    {
        Reporter.Error(message);
        return ExitCodes.Usage;
    }
}
