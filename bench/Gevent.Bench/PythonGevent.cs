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
}
