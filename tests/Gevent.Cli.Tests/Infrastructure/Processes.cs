using System.Diagnostics;

namespace Gevent.Cli.Tests.Infrastructure;

/// <summary>Runs the tool, test apps and the SDK as child processes, with output captured and a time limit.</summary>
internal static class Processes
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(3);

    /// <summary>Runs <c>gevent-patch</c> with <paramref name="arguments"/>.</summary>
    public static ProcessResult Tool(params string[] arguments) => Run(Start([Repository.Tool, .. arguments]));

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> (an app's dll, or an SDK command).</summary>
    public static ProcessResult Dotnet(params string[] arguments) => Run(Start(arguments));

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> and extra <paramref name="environment"/> variables.</summary>
    public static ProcessResult Program(string program, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Run(Start(arguments, program, environment));

    /// <summary>Starts <paramref name="program"/> (<c>dotnet</c> by default) with <paramref name="arguments"/> without waiting.</summary>
    public static Process Start(IEnumerable<string> arguments, string program = "dotnet", IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(info)!;
    }

    /// <summary>Waits for <paramref name="process"/> and collects its output.</summary>
    public static ProcessResult Run(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_limit))
            {
                process.Kill(true);
                throw new TimeoutException($"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)} did not finish within {s_limit}.");
            }

            return new ProcessResult(process.ExitCode, output.Result, error.Result);
        }
    }
}
