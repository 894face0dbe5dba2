using System.Reflection;
using Gevent.Cli.Commands;
using McMaster.Extensions.CommandLineUtils;

namespace Gevent.Cli;

/// <summary>The <c>gevent-patch</c> tool: its commands, version, and exit codes (0 ok, 1 some inputs failed, 2 usage).</summary>
[Command("gevent-patch", Description = "Rewrites blocking BCL calls in compiled .NET assemblies into Gevent's cooperative replacements.")]
[VersionOptionFromMember("--version", MemberName = nameof(Version))]
[Subcommand(typeof(PatchCommand), typeof(ScanCommand), typeof(VerifyCommand), typeof(RestoreCommand), typeof(CatalogCommand))]
internal sealed class Program
{
    /// <summary>The tool's informational version.</summary>
    public static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static int Main(string[] args)
    {
        var app = new CommandLineApplication<Program>();
        app.Conventions.UseDefaultConventions();
        try
        {
            return app.Execute(args);
        }
        catch (CommandParsingException e)
        {
            Console.Error.WriteLine($"error: {e.Message} (see gevent-patch {e.Command.Name} --help)");
            return ExitCodes.Usage;
        }
    }

    private int OnExecute(CommandLineApplication app)
    {
        app.ShowHelp();
        return ExitCodes.Usage;
    }
}
