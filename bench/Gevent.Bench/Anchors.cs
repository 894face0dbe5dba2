namespace Gevent.Bench;

/// <summary>Finds the Python gevent reference scripts (<c>shared/anchors</c>) and a Python that can run them.</summary>
internal static class Anchors
{
    // The anchors live beside the repository (../shared/anchors); look upwards from here for them.
    public static string? FindScript(string name)
    {
        if (Environment.GetEnvironmentVariable("GEVENT_ANCHORS") is { Length: > 0 } anchors)
        {
            var path = Path.Combine(anchors, name);
            return File.Exists(path) ? path : null;
        }

        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "anchors", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    // `python3` on PATH may be a pyenv or venv interpreter without Debian's gevent; Debian's own is the fallback.
    public static string? FindPythonWithGevent()
    {
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
