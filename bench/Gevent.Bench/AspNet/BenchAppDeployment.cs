using Gevent.Bench.Load;

namespace Gevent.Bench.AspNet;

/// <summary>
/// bench/AspNetBenchApp published into a temporary folder, and a copy patched by the gevent-patch CLI: the
/// no-code-change way users take. Both folders are deleted on dispose.
/// </summary>
internal sealed class BenchAppDeployment : IDisposable
{
    private const string AppName = "AspNetBenchApp";
    private static readonly TimeSpan s_stepLimit = TimeSpan.FromMinutes(5);

    private readonly string _folder;

    public BenchAppDeployment()
    {
        _folder = Directory.CreateTempSubdirectory("gevent-aspnet-bench-").FullName;
        try
        {
            var plain = Path.Combine(_folder, "plain");
            var patched = Path.Combine(_folder, "patched");
            // --no-build: the bench's build built the app (a project reference), in this same configuration.
            Step("dotnet", $"publish \"{Path.Combine(BuiltProject.RepositoryRoot, "bench", AppName)}\" -c {BuiltProject.Configuration} --no-build -o \"{plain}\"");
            var cli = BuiltProject.Assembly("src", "gevent-patch-cli", "gevent-patch");
            PatchReport = Step("dotnet", $"\"{cli}\" patch \"{plain}\" -o \"{patched}\"");
            PlainAssembly = Path.Combine(plain, AppName + ".dll");
            PatchedAssembly = Path.Combine(patched, AppName + ".dll");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The app as published.</summary>
    public string PlainAssembly { get; }

    /// <summary>The app after <c>gevent-patch patch</c>.</summary>
    public string PatchedAssembly { get; }

    /// <summary>What the CLI printed.</summary>
    public string PatchReport { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Step(string file, string arguments)
    {
        var (exitCode, stdout, stderr) = ChildProcess.Run(file, arguments, s_stepLimit);
        return exitCode == 0
            ? stdout
            : throw new InvalidOperationException($"{file} {arguments} failed (exit {exitCode}): {stderr}{stdout}");
    }
}
