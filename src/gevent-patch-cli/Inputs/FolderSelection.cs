using Gevent.Weaver;

namespace Gevent.Cli.Inputs;

/// <summary>
/// Which files of a folder (a <c>dotnet publish</c> output) are patched: every <c>.dll</c> below it
/// except satellite resources, Gevent.Runtime and Gevent.AspNetCore themselves (written for greenlets), the shared framework's own assemblies (a
/// self-contained app carries them; their blocking calls are what the runtime's replacements call),
/// and the temporary files of an interrupted run.
/// </summary>
internal static class FolderSelection
{
    private static readonly Lazy<HashSet<string>> s_frameworkFileNames = new(ReadFrameworkFileNames);

    /// <summary>The assemblies of <paramref name="folder"/> to patch, in a stable order.</summary>
    public static IEnumerable<string> Assemblies(string folder) =>
        Directory.EnumerateFiles(folder, "*.dll", SearchOption.AllDirectories)
            .Where(f => !IsExcluded(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal);

    /// <summary>Whether a file of this name is left alone in folder mode.</summary>
    public static bool IsExcluded(string fileName) =>
        fileName.EndsWith(".resources.dll", StringComparison.OrdinalIgnoreCase)
        || fileName.Contains(".gevent-tmp", StringComparison.Ordinal)
        || fileName == CatalogReader.RuntimeAssemblyName + ".dll"
        || fileName == Patching.AspNetCoreDeployment.AssemblyName + ".dll"
        || s_frameworkFileNames.Value.Contains(fileName);

    /// <summary>Every file name of every installed shared framework (Microsoft.NETCore.App, ASP.NET Core...).</summary>
    private static HashSet<string> ReadFrameworkFileNames()
    {
        // <dotnet>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        var shared = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", ".."));
        return Directory.EnumerateFiles(shared, "*.dll", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
