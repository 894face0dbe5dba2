namespace Gevent.Cli.Files;

/// <summary>The backup an in-place patch leaves beside each file it replaces, and putting it back.</summary>
internal static class Backups
{
    /// <summary>Suffix of a backup: <c>App.dll</c> is kept as <c>App.dll.gevent-backup</c>.</summary>
    public const string Suffix = ".gevent-backup";

    /// <summary>Keeps <paramref name="path"/> (and its .pdb, when there is one) as backups, replacing older ones.</summary>
    public static void Save(string path)
    {
        foreach (var file in WithSymbols(path).Where(File.Exists))
        {
            AtomicFile.Copy(file, file + Suffix);
        }
    }

    /// <summary>Moves <paramref name="backup"/> back over its original (a rename: atomic).</summary>
    public static string Restore(string backup)
    {
        var original = backup[..^Suffix.Length];
        File.Move(backup, original, true);
        return original;
    }

    /// <summary>The backups under the folder <paramref name="path"/>, or beside the file <paramref name="path"/>.</summary>
    public static IEnumerable<string> Find(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*" + Suffix, SearchOption.AllDirectories).Order()
            : WithSymbols(path).Select(f => f + Suffix).Where(File.Exists);

    private static IEnumerable<string> WithSymbols(string path) =>
        path.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase) ? [path] : [path, Path.ChangeExtension(path, ".pdb")];
}
