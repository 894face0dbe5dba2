namespace Gevent.Cli.Inputs;

/// <summary>
/// One assembly to handle. <see cref="Folder"/> is set when it was found in a folder argument (folder
/// mode: relative output paths, the runtime and the app's deps.json are handled for the folder).
/// </summary>
internal sealed record Input(string Path, string? Folder)
{
    /// <summary>The path relative to its folder, or the file name for a file argument.</summary>
    public string RelativePath => Folder is null ? System.IO.Path.GetFileName(Path) : System.IO.Path.GetRelativePath(Folder, Path);
}
