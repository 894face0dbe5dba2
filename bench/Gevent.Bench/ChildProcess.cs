using System.Diagnostics;

namespace Gevent.Bench;

/// <summary>Runs another program from the bench, bounded in time.</summary>
internal static class ChildProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, string arguments, TimeSpan limit)
    {
        using var process = Start(file, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "", $"timed out after {limit.TotalSeconds:F0} s");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Starts <paramref name="file"/> with its output redirected and, if given, <paramref name="environment"/> added to its environment.</summary>
    public static Process Start(string file, string arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true, // a server may be asked things (the samples' --stats)
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        return Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {file}");
    }

    /// <summary>This bench again, as a child process (a server of its own).</summary>
    public static Process StartSelf(string arguments) => Start(Environment.ProcessPath!, SelfArguments(arguments));

    /// <summary>This bench again, run to completion (a load generator in its own process).</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunSelf(string arguments, TimeSpan limit) =>
        Run(Environment.ProcessPath!, SelfArguments(arguments), limit);

    // Under `dotnet run` the process is the dotnet host, which needs the assembly path first.
    private static string SelfArguments(string arguments) =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet"
            ? $"\"{typeof(ChildProcess).Assembly.Location}\" {arguments}"
            : arguments;
}
