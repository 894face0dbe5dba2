using Gevent.Cli.Files;

namespace Gevent.Cli.Patching;

/// <summary>
/// Makes patched files runnable: copies the runtime they call beside them when it is not there, and,
/// for an app folder, lists it in the app's deps.json (both backed up first when patching in place).
/// </summary>
internal static class RuntimeDeployment
{
    /// <summary>Deploys <paramref name="runtimePath"/> into <paramref name="folder"/>; returns what was done, for the summary.</summary>
    public static IEnumerable<string> Ensure(string folder, string runtimePath, bool isAppFolder, bool backup)
    {
        var done = new List<string>();
        var deployed = Path.Combine(folder, Path.GetFileName(runtimePath));
        if (!File.Exists(deployed))
        {
            AtomicFile.Copy(runtimePath, deployed);
            done.Add($"copied {Path.GetFileName(runtimePath)} to {folder}");
        }

        if (!isAppFolder)
        {
            return done;
        }

        if (DepsJson.Find(folder) is not { } deps)
        {
            done.Add($"no app .deps.json in {folder}: the host loads {Path.GetFileName(runtimePath)} from the app folder");
            return done;
        }

        var name = Path.GetFileNameWithoutExtension(runtimePath);
        if (DepsJson.Lists(deps, name))
        {
            return done;
        }

        if (backup)
        {
            Backups.Save(deps);
        }

        DepsJson.Add(deps, deployed);
        done.Add($"added {name} to {Path.GetFileName(deps)}");
        return done;
    }
}
