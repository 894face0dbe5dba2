namespace Gevent.Cli.Files;

/// <summary>
/// Writes that never leave a partial target: the content goes to a temporary file in the target's
/// folder, which is then renamed over the target (rename(2) replaces atomically on one file system).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Suffix of the temporary files; a leftover one means an interrupted write, never a damaged target.</summary>
    public const string TemporarySuffix = ".gevent-tmp";

    /// <summary>Copies <paramref name="source"/> over <paramref name="destination"/>.</summary>
    public static void Copy(string source, string destination) =>
        Replace(destination, temporary => File.Copy(source, temporary, true));

    /// <summary>Writes <paramref name="text"/> over <paramref name="destination"/>.</summary>
    public static void WriteText(string destination, string text) =>
        Replace(destination, temporary => File.WriteAllText(temporary, text));

    private static void Replace(string destination, Action<string> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var temporary = destination + TemporarySuffix;
        try
        {
            write(temporary);
            File.Move(temporary, destination, true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
