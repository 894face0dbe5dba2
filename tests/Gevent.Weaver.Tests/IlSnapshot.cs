using System.Runtime.CompilerServices;
using Mono.Cecil;

namespace Gevent.Weaver.Tests;

/// <summary>
/// IL text of one method compared with a file under Snapshots/. Set GEVENT_UPDATE_SNAPSHOTS=1 to
/// rewrite the files in the source tree after a deliberate change, then review the diff.
/// </summary>
internal static class IlSnapshot
{
    public static string Of(ModuleDefinition module, string type, string method) =>
        string.Join("\n", module.GetType(type).Methods.Single(m => m.Name == method).Body.Instructions.Select(i => i.ToString())) + "\n";

    public static void Check(string name, string actual, [CallerFilePath] string source = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(source)!, "Snapshots", name + ".il");
        if (Environment.GetEnvironmentVariable("GEVENT_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no snapshot {path}: run with GEVENT_UPDATE_SNAPSHOTS=1 and review it");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
