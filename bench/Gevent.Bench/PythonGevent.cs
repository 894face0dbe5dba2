using System.Text.Json;

namespace Gevent.Bench;

/// <summary>
/// Python gevent's side of the benchmarks: the scripts in <c>python/</c> (copied beside the bench's
/// binary) and a Python that can run them.
/// </summary>
internal static class PythonGevent
{
    /// <summary>The path of the bench's own Python script <paramref name="name"/>.</summary>
    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "python", name);

    /// <summary>A Python interpreter that can import gevent, or null.</summary>
    public static string? FindPython()
    {
        // `python3` on PATH may be a pyenv or venv interpreter without Debian's gevent; Debian's own is the fallback.
        string[] candidates = [Environment.GetEnvironmentVariable("GEVENT_PYTHON") ?? "python3", "/usr/bin/python3"];
        foreach (var candidate in candidates.Distinct())
        {
            try
            {
                if (ChildProcess.Run(candidate, "-c \"import gevent\"", TimeSpan.FromSeconds(30)).ExitCode == 0)
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

    /// <summary>
    /// Runs the bench's script <paramref name="script"/> with <paramref name="arguments"/> and reads the one JSON
    /// object of numbers it prints. Returns the interpreter and the figures, or null figures and why (Python or gevent
    /// missing, the script failed or timed out), so that the run can go on without Python gevent's side.
    /// </summary>
    public static (string? Python, Dictionary<string, double>? Figures, string? Failure) RunJson(string script, string arguments, TimeSpan limit)
    {
        var python = FindPython();
        if (python is null)
        {
            return (null, null, "python3-gevent not installed (apt-get install -y python3-gevent)");
        }

        var (exitCode, stdout, stderr) = ChildProcess.Run(python, $"\"{Script(script)}\" {arguments}", limit);
        if (exitCode != 0)
        {
            return (python, null, $"{script} failed (exit {exitCode}): {stderr.Trim()}");
        }

        var figures = JsonSerializer.Deserialize<Dictionary<string, double>>(stdout)
            ?? throw new InvalidDataException($"{script} printed no JSON object: {stdout}");
        return (python, figures, null);
    }
}
