using System.Diagnostics;
using System.Text.Json;

namespace Gevent.Bench;

/// <summary>
/// Runs the Python gevent reference (<c>shared/anchors/gevent_micro.py --json</c>) as a child process in
/// the same run, so both sides see the same machine at the same time. When Python or gevent is missing,
/// the family comes back unavailable with the reason, and the run goes on.
/// </summary>
internal static class PythonGeventRunner
{
    private const string Script = "gevent_micro.py";

    // Its five workloads plus 100,000 sleepers take ~20 s here; a hung child must not hang the bench.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public static FamilyResults Run()
    {
        var script = FindScript();
        if (script is null)
        {
            return Unavailable($"{Script} not found (set GEVENT_ANCHORS to the anchors folder)");
        }

        var python = FindPythonWithGevent();
        if (python is null)
        {
            return Unavailable("python3-gevent not installed (apt-get install -y python3-gevent)");
        }

        var (exitCode, stdout, stderr) = RunProcess(python, $"\"{script}\" --json", Limit);
        if (exitCode != 0)
        {
            return Unavailable($"{Script} failed (exit {exitCode}): {stderr.Trim()}");
        }

        var figures = JsonSerializer.Deserialize<Dictionary<string, double>>(stdout)
            ?? throw new InvalidDataException($"{Script} printed no JSON object: {stdout}");
        var results = new FamilyResults($"Python gevent ({python})");
        foreach (var workload in MicroWorkload.All)
        {
            results.Set(workload, figures.TryGetValue(workload.GeventKey, out var value) ? value : null);
        }

        results.Set(MicroWorkload.BytesPerParked, results.Get(MicroWorkload.BytesPerParked), "at 100,000, from peak RSS");
        return results;
    }

    private static FamilyResults Unavailable(string reason) => new("Python gevent") { Unavailable = reason };

    // The anchors live beside the repository (../shared/anchors); look upwards from here for them.
    private static string? FindScript()
    {
        if (Environment.GetEnvironmentVariable("GEVENT_ANCHORS") is { Length: > 0 } anchors)
        {
            var path = Path.Combine(anchors, Script);
            return File.Exists(path) ? path : null;
        }

        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "anchors", Script);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    // `python3` on PATH may be a pyenv or venv interpreter without Debian's gevent; Debian's own is the fallback.
    private static string? FindPythonWithGevent()
    {
        string[] candidates = [Environment.GetEnvironmentVariable("GEVENT_PYTHON") ?? "python3", "/usr/bin/python3"];
        foreach (var candidate in candidates.Distinct())
        {
            try
            {
                if (RunProcess(candidate, "-c \"import gevent\"", TimeSpan.FromSeconds(30)).ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed at all; try the next.
            }
        }

        return null;
    }

    private static (int ExitCode, string Stdout, string Stderr) RunProcess(string file, string arguments, TimeSpan limit)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "", $"timed out after {limit.TotalSeconds:F0} s");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
