namespace Gevent.Cli.Tests.Infrastructure;

/// <summary>A temporary folder for one test, deleted afterwards.</summary>
internal sealed class Scratch : IDisposable
{
    /// <summary>The folder.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("gevent-cli-test-").FullName;

    /// <summary>A path inside the folder.</summary>
    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Copies <paramref name="file"/> into the folder (as <paramref name="name"/>) and returns the copy's path.</summary>
    public string Copy(string file, string? name = null)
    {
        var copy = this[name ?? System.IO.Path.GetFileName(file)];
        File.Copy(file, copy, true);
        return copy;
    }

    /// <summary>Copies the whole <paramref name="folder"/> to <paramref name="name"/> inside this one.</summary>
    public string CopyFolder(string folder, string name)
    {
        var copy = this[name];
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(copy, System.IO.Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(Path, true);
    }
}
